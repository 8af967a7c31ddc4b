import { BaseEnv, ServiceEnv } from './base.env';
import { ConfigValidationError, validateEnv } from './validate-env';

describe(validateEnv.name, () => {
  it('applies defaults when variables are unset or empty', () => {
    const sut = validateEnv(BaseEnv, { LOG_LEVEL: '' });

    expect(sut).toMatchObject({
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      NATS_URL: 'nats://127.0.0.1:4222',
      RPC_TIMEOUT_MS: 5000,
    });
  });

  it('converts numbers and booleans from strings', () => {
    const sut = validateEnv(ServiceEnv, {
      DATABASE_URL: 'postgres://u@h/db',
      DB_POOL_SIZE: '25',
      MIGRATIONS_RUN: 'false',
    });

    expect(sut.DB_POOL_SIZE).toBe(25);
    expect(sut.MIGRATIONS_RUN).toBe(false);
  });

  it('lists every bad variable at once', () => {
    const run = (): ServiceEnv =>
      validateEnv(ServiceEnv, {
        DB_POOL_SIZE: 'lots',
        MIGRATIONS_RUN: 'maybe',
        NATS_URL: 'http://x',
        LOG_FORMAT: 'xml',
      });

    expect(run).toThrow(ConfigValidationError);
    try {
      run();
    } catch (error) {
      const names = (error as ConfigValidationError).problems.map((p) => p.split(':')[0]).sort();
      expect(names).toEqual(['DATABASE_URL', 'DB_POOL_SIZE', 'LOG_FORMAT', 'MIGRATIONS_RUN', 'NATS_URL']);
    }
  });

  it('rejects out-of-range numbers', () => {
    expect(() => validateEnv(BaseEnv, { RPC_TIMEOUT_MS: '10' })).toThrow(/RPC_TIMEOUT_MS/);
  });

  it('ignores variables it does not know', () => {
    expect(validateEnv(BaseEnv, { PATH: '/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });
});

describe('BaseEnv bus credentials', () => {
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      validateEnv(BaseEnv, env);
      return [];
    } catch (error) {
      return (error as ConfigValidationError).problems;
    }
  };

  it('needs a NATS password in production, in the variable or in a file', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(
        /^NATS_PASSWORD: .*NATS_PASSWORD or NATS_PASSWORD_FILE is required when NODE_ENV=production/,
      ),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', NATS_PASSWORD: 'p'.repeat(16) })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'production', NATS_PASSWORD_FILE: '/run/secrets/nats' })).toEqual([]);
  });

  it('refuses a password shorter than 16 characters anywhere, and takes none outside production', () => {
    expect(problemsOf({ NATS_PASSWORD: 'short' })).toEqual([expect.stringMatching(/^NATS_PASSWORD: /)]);
    // nats-server would read these as a number or a date, and refuse to start.
    expect(problemsOf({ NATS_PASSWORD: '7' + 'x'.repeat(20) })).toEqual([
      expect.stringMatching(/^NATS_PASSWORD: .*a letter/),
    ]);
    expect(problemsOf({ NATS_PASSWORD: '-' + 'x'.repeat(20) })).toEqual([expect.stringMatching(/^NATS_PASSWORD: /)]);
    expect(problemsOf({})).toEqual([]);
  });

  it('takes a client certificate only with its key', () => {
    expect(problemsOf({ NATS_TLS_CERT_FILE: '/tls/tls.crt' })).toEqual([expect.stringMatching(/^NATS_TLS_KEY_FILE: /)]);
    expect(problemsOf({ NATS_TLS_CERT_FILE: '/tls/tls.crt', NATS_TLS_KEY_FILE: '/tls/tls.key' })).toEqual([]);
  });
});
