import { ConfigValidationError, validateEnv } from '@app/common/config';
import { OrdersEnv } from './orders.env';

const BASE = { DATABASE_URL: 'postgres://u@h/orders' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnv(OrdersEnv, { ...BASE, ...env });
  } catch (error) {
    return (error as ConfigValidationError).problems.map((problem) => problem.split(':')[0]);
  }
  return [];
}

const BUS_PASSWORD = 'a-bus-password-of-some-length';

describe(OrdersEnv.name, () => {
  it('has working defaults, and derives the recovery bound from them', () => {
    const sut = validateEnv(OrdersEnv, BASE);

    expect(sut).toMatchObject({
      OPS_PORT: 3003,
      CATALOG_RPC_TIMEOUT_MS: 2000,
      PENDING_RECOVERY_AFTER_MS: 10_000,
      RECOVERY_INTERVAL_MS: 1000,
      RECOVERY_ENABLED: true,
      IDEMPOTENCY_TTL_HOURS: 24,
      MAX_UNITS_PER_ORDER: 2000,
      MAX_UNITS_PER_CUSTOMER: 5000,
      CUSTOMER_UNITS_WINDOW_MINUTES: 1440,
    });
    expect(sut.pendingBoundMs).toBe(10_000 + 1000 + 3 * 2000 + 1000);
    expect(sut.cursorSecret).toHaveLength(56);
  });

  it('batches by default and takes 1 as batching off, refusing 0 and non-numbers', () => {
    expect(validateEnv(OrdersEnv, BASE)).toMatchObject({ GROUP_COMMIT_MAX_BATCH: 32, GROUP_COMMIT_MAX_IN_FLIGHT: 2 });
    expect(validateEnv(OrdersEnv, { ...BASE, GROUP_COMMIT_MAX_BATCH: '1' }).GROUP_COMMIT_MAX_BATCH).toBe(1);
    expect(problemsOf({ GROUP_COMMIT_MAX_BATCH: '0', GROUP_COMMIT_MAX_IN_FLIGHT: 'lots' })).toEqual([
      'GROUP_COMMIT_MAX_BATCH',
      'GROUP_COMMIT_MAX_IN_FLIGHT',
    ]);
  });

  it('refuses to keep idempotency keys for less than 24 hours in production', () => {
    expect(problemsOf({ IDEMPOTENCY_TTL_HOURS: '23', NODE_ENV: 'production' })).toContain('IDEMPOTENCY_TTL_HOURS');
    expect(problemsOf({ IDEMPOTENCY_TTL_HOURS: '24', NODE_ENV: 'production' })).not.toContain('IDEMPOTENCY_TTL_HOURS');
  });

  it('lets a test or a soak shorten the idempotency window outside production', () => {
    expect(problemsOf({ IDEMPOTENCY_TTL_HOURS: '0.05' })).toEqual([]);
    expect(problemsOf({ IDEMPOTENCY_TTL_HOURS: '0' })).toEqual(['IDEMPOTENCY_TTL_HOURS']);
    expect(problemsOf({ IDEMPOTENCY_TTL_HOURS: 'soon' })).toEqual(['IDEMPOTENCY_TTL_HOURS']);
  });

  it('refuses a recovery that could race a saga still waiting for catalog', () => {
    expect(problemsOf({ CATALOG_RPC_TIMEOUT_MS: '3000', PENDING_RECOVERY_AFTER_MS: '5000' })).toEqual([
      'PENDING_RECOVERY_AFTER_MS',
    ]);
    expect(problemsOf({ CATALOG_RPC_TIMEOUT_MS: '3000', PENDING_RECOVERY_AFTER_MS: '6000' })).toEqual([]);
  });

  it('refuses a customer budget smaller than the largest order allowed', () => {
    expect(problemsOf({ MAX_UNITS_PER_ORDER: '100', MAX_UNITS_PER_CUSTOMER: '99' })).toEqual([
      'MAX_UNITS_PER_CUSTOMER',
    ]);
    expect(problemsOf({ MAX_UNITS_PER_ORDER: '100', MAX_UNITS_PER_CUSTOMER: '100' })).toEqual([]);
  });

  it('refuses unit bounds and windows out of range', () => {
    expect(problemsOf({ MAX_UNITS_PER_ORDER: '0', CUSTOMER_UNITS_WINDOW_MINUTES: '0' })).toEqual([
      'MAX_UNITS_PER_ORDER',
      'CUSTOMER_UNITS_WINDOW_MINUTES',
    ]);
    expect(problemsOf({ MAX_UNITS_PER_ORDER: '50001', MAX_UNITS_PER_CUSTOMER: '60000' })).toEqual([
      'MAX_UNITS_PER_ORDER',
    ]);
  });

  it('needs a cursor secret of at least 32 characters in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', NATS_PASSWORD: BUS_PASSWORD })).toEqual(['ORDERS_CURSOR_SECRET']);
    expect(problemsOf({ NODE_ENV: 'production', NATS_PASSWORD: BUS_PASSWORD, ORDERS_CURSOR_SECRET: 'short' })).toEqual([
      'ORDERS_CURSOR_SECRET',
    ]);
    expect(
      problemsOf({ NODE_ENV: 'production', NATS_PASSWORD: BUS_PASSWORD, ORDERS_CURSOR_SECRET: 's'.repeat(32) }),
    ).toEqual([]);
  });
});
