import { familyEndsAt, judgeSpentToken, SpentToken } from './spent-token-verdict';

const LOGIN = new Date('2026-11-01T08:00:00.000Z');
const DAY_MS = 86_400_000;

function spentAt(now: Date, overrides: Partial<SpentToken> = {}): SpentToken {
  return {
    expiresAt: new Date(now.getTime() + 30 * DAY_MS),
    familyStartedAt: LOGIN,
    familyRevoked: false,
    now,
    ...overrides,
  };
}

describe(familyEndsAt.name, () => {
  it('counts the absolute lifetime in hours from the login', () => {
    expect(familyEndsAt(LOGIN, 720)).toEqual(new Date('2026-12-01T08:00:00.000Z'));
    expect(familyEndsAt(LOGIN, 12)).toEqual(new Date('2026-11-01T20:00:00.000Z'));
  });
});

describe(judgeSpentToken.name, () => {
  it('rotates a live token of a family within its absolute lifetime', () => {
    const sut = judgeSpentToken(spentAt(new Date(LOGIN.getTime() + 10 * DAY_MS)), 720);

    expect(sut).toBe('rotate');
  });

  it('refuses a token whose fresh idle lifetime outlasts the family: rotation never extends a session', () => {
    const lastMillisecond = new Date(familyEndsAt(LOGIN, 720).getTime() - 1);
    const end = familyEndsAt(LOGIN, 720);

    expect(judgeSpentToken(spentAt(lastMillisecond), 720)).toBe('rotate');
    expect(judgeSpentToken(spentAt(end), 720)).toBe('family-expired');
  });

  it('honours the configured lifetime rather than a fixed one', () => {
    const thirteenHoursIn = new Date(LOGIN.getTime() + 13 * 3_600_000);

    expect(judgeSpentToken(spentAt(thirteenHoursIn), 12)).toBe('family-expired');
    expect(judgeSpentToken(spentAt(thirteenHoursIn), 720)).toBe('rotate');
  });

  it('refuses a token at the end of its own idle lifetime, the family being young', () => {
    const now = new Date(LOGIN.getTime() + DAY_MS);

    expect(judgeSpentToken(spentAt(now, { expiresAt: now }), 720)).toBe('token-expired');
  });

  it('reports an expired family even when its token expired too, so the family is ended', () => {
    const now = new Date(LOGIN.getTime() + 40 * DAY_MS);

    expect(judgeSpentToken(spentAt(now, { expiresAt: new Date(now.getTime() - 1) }), 720)).toBe('family-expired');
  });

  it('leaves a revoked family as it is, whatever its age', () => {
    const now = new Date(LOGIN.getTime() + 40 * DAY_MS);

    expect(judgeSpentToken(spentAt(now, { familyRevoked: true }), 720)).toBe('family-revoked');
  });
});
