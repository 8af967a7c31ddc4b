import { ConfigValidationError, validateEnv } from '@app/common/config';
import { AuthEnv } from './auth.env';

const BASE = { DATABASE_URL: 'postgres://localhost/auth', JWT_SIGNING_KEYS: '-----BEGIN PRIVATE KEY-----' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnv(AuthEnv, env);
    return [];
  } catch (error) {
    return (error as ConfigValidationError).problems;
  }
}

describe(AuthEnv.name, () => {
  it('has the documented defaults', () => {
    const sut = validateEnv(AuthEnv, BASE);

    expect(sut).toMatchObject({
      JWT_ISSUER: 'bazaar-auth',
      JWT_AUDIENCE: 'bazaar-api',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_DAYS: 30,
      REFRESH_FAMILY_ABSOLUTE_TTL_HOURS: 720,
      LOGIN_MAX_FAILURES_PER_EMAIL: 5,
      LOGIN_MAX_FAILURES_PER_ADDRESS: 50,
      LOGIN_FAILURE_WINDOW_SECONDS: 900,
      REGISTRATION_MAX_ATTEMPTS_PER_ADDRESS: 50,
      REGISTRATION_ATTEMPT_WINDOW_SECONDS: 900,
      ARGON2_MEMORY_KIB: 19_456,
      ARGON2_TIME_COST: 2,
      ARGON2_PARALLELISM: 1,
    });
  });

  it('needs a signing key, inline or from a file', () => {
    expect(problemsOf({ DATABASE_URL: BASE.DATABASE_URL })).toEqual([
      expect.stringContaining('JWT_SIGNING_KEYS: set JWT_SIGNING_KEYS or JWT_SIGNING_KEYS_FILE'),
    ]);
    expect(problemsOf({ DATABASE_URL: BASE.DATABASE_URL, JWT_SIGNING_KEYS_FILE: '/run/keys.pem' })).toEqual([]);
  });

  it('caps access tokens at 15 minutes', () => {
    expect(problemsOf({ ...BASE, ACCESS_TOKEN_TTL_SECONDS: '901' })).toEqual([
      expect.stringContaining('ACCESS_TOKEN_TTL_SECONDS'),
    ]);
  });

  it('refuses session lifetimes and registration limits out of range', () => {
    expect(
      problemsOf({
        ...BASE,
        REFRESH_FAMILY_ABSOLUTE_TTL_HOURS: '0',
        REGISTRATION_MAX_ATTEMPTS_PER_ADDRESS: '0',
        REGISTRATION_ATTEMPT_WINDOW_SECONDS: '59',
      }),
    ).toEqual([
      expect.stringContaining('REFRESH_FAMILY_ABSOLUTE_TTL_HOURS'),
      expect.stringContaining('REGISTRATION_MAX_ATTEMPTS_PER_ADDRESS'),
      expect.stringContaining('REGISTRATION_ATTEMPT_WINDOW_SECONDS'),
    ]);
  });

  it('refuses argon2 settings below the OWASP floor', () => {
    expect(problemsOf({ ...BASE, ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' })).toEqual([
      expect.stringContaining('ARGON2_MEMORY_KIB'),
      expect.stringContaining('ARGON2_TIME_COST'),
    ]);
  });

  it('wants ADMIN_EMAIL and ADMIN_PASSWORD together, and a usable password', () => {
    expect(problemsOf({ ...BASE, ADMIN_EMAIL: 'root@example.com' })).toEqual([
      expect.stringContaining('ADMIN_PASSWORD'),
    ]);
    expect(problemsOf({ ...BASE, ADMIN_PASSWORD: 'long enough' })).toEqual([expect.stringContaining('ADMIN_EMAIL')]);
    expect(problemsOf({ ...BASE, ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'short' })).toEqual([
      expect.stringContaining('ADMIN_PASSWORD'),
    ]);
    expect(problemsOf({ ...BASE, ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'long enough' })).toEqual([]);
  });

  it('never echoes ADMIN_PASSWORD in a problem', () => {
    const problems = problemsOf({ ...BASE, ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'sekrit-value' });

    expect(problems.join('\n')).not.toContain('sekrit-value');
  });
});
