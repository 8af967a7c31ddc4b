import { DomainError } from '@app/common/errors';
import { blockedLimits, tooManyAttempts } from './login-limit-rules';

describe(blockedLimits.name, () => {
  const limits = { maxPerEmail: 5, maxPerAddress: 20 };

  it('lets an attempt through while the earlier ones stay below both limits', () => {
    expect(blockedLimits({ email: 4, address: 19 }, limits)).toEqual({ email: false, address: false });
  });

  it('blocks by email once the earlier attempts for it reach the limit, not one later', () => {
    expect(blockedLimits({ email: 5, address: 0 }, limits)).toEqual({ email: true, address: false });
    expect(blockedLimits({ email: 6, address: 0 }, limits)).toEqual({ email: true, address: false });
  });

  it('blocks by address once the earlier attempts from it reach the limit, whatever the email', () => {
    expect(blockedLimits({ email: 0, address: 20 }, limits)).toEqual({ email: false, address: true });
    expect(blockedLimits({ email: 5, address: 20 }, limits)).toEqual({ email: true, address: true });
  });
});

describe(tooManyAttempts.name, () => {
  it('is a 429 rate-limited error asking for the longest of the waits', () => {
    const sut = tooManyAttempts('Too many', [0, 840, 12]);

    expect(sut).toBeInstanceOf(DomainError);
    expect(sut).toMatchObject({ code: 'rate-limited', status: 429, retryAfterSeconds: 840, message: 'Too many' });
  });

  it('never asks for less than a second, so Retry-After is never 0', () => {
    expect(tooManyAttempts('Too many', [0]).retryAfterSeconds).toBe(1);
    expect(tooManyAttempts('Too many', [-3]).retryAfterSeconds).toBe(1);
    expect(tooManyAttempts('Too many', []).retryAfterSeconds).toBe(1);
  });
});
