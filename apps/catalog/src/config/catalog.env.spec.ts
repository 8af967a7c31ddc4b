import { ConfigValidationError, validateEnv } from '@app/common/config';
import { CatalogEnv, DEV_CURSOR_SECRET } from './catalog.env';

const base = { DATABASE_URL: 'postgres://catalog@127.0.0.1:5432/catalog' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnv(CatalogEnv, env);
  } catch (error) {
    return (error as ConfigValidationError).problems;
  }
  return [];
}

describe(CatalogEnv.name, () => {
  it('signs cursors with the documented development secret when CURSOR_SECRET is unset outside production', () => {
    const sut = validateEnv(CatalogEnv, base);

    expect(sut.cursorSecret).toBe(DEV_CURSOR_SECRET);
    expect(sut.CATALOG_SEED_DEMO).toBe(false);
  });

  it('refuses to start in production without CURSOR_SECRET', () => {
    expect(problemsOf({ ...base, NODE_ENV: 'production', NATS_PASSWORD: 'a-bus-password-of-some-length' })).toEqual([
      expect.stringMatching(/^CURSOR_SECRET: /),
    ]);
  });

  it('refuses a CURSOR_SECRET shorter than 32 characters, in any environment', () => {
    expect(problemsOf({ ...base, CURSOR_SECRET: 'short' })).toEqual([expect.stringMatching(/^CURSOR_SECRET: /)]);
  });

  it('uses the configured secret and seed flag', () => {
    const secret = 'a-production-secret-of-at-least-32-chars';
    const sut = validateEnv(CatalogEnv, {
      ...base,
      NODE_ENV: 'production',
      NATS_PASSWORD: 'a-bus-password-of-some-length',
      CURSOR_SECRET: secret,
      CATALOG_SEED_DEMO: 'true',
    });

    expect(sut.cursorSecret).toBe(secret);
    expect(sut.CATALOG_SEED_DEMO).toBe(true);
  });

  it('refuses a seed flag that is not a boolean', () => {
    expect(problemsOf({ ...base, CATALOG_SEED_DEMO: 'yes' })).toEqual([expect.stringMatching(/^CATALOG_SEED_DEMO: /)]);
  });
});
