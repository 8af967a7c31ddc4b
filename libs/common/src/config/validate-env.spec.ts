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
