/**
 * The environment the chaos stack runs with, and the bounds the invariants derive from it. Every
 * timing the checks rely on is set here explicitly (at the services' defaults unless overridden),
 * so the bounds can't silently drift from what the replicas were told.
 */
export interface StackSettings {
  env: Record<string, string>;
  /** The gateway's RPC timeout: every request must be answered within it (plus `answerSlackMs`). */
  gatewayTimeoutMs: number;
  /** Scheduling slack on a 2-core machine shared with the load generator, Postgres and NATS. */
  answerSlackMs: number;
  /**
   * The longest an order may stay pending once catalog, NATS and an orders replica are back:
   * PENDING_RECOVERY_AFTER_MS + RECOVERY_INTERVAL_MS + the recovery lease (3 × CATALOG_RPC_TIMEOUT_MS
   * + 1 s), as apps/orders/src/config/orders.env.ts (`pendingBoundMs`) and docs/orders-saga.md state.
   */
  pendingBoundMs: number;
  /** One recovery lease and round: what a claimant that died or froze adds to the bound. */
  stalledClaimantMs: number;
  /** How long a replica may drain on SIGTERM. */
  shutdownGraceMs: number;
}

export interface Timings {
  RPC_TIMEOUT_MS: number;
  CATALOG_RPC_TIMEOUT_MS: number;
  PENDING_RECOVERY_AFTER_MS: number;
  RECOVERY_INTERVAL_MS: number;
  SHUTDOWN_GRACE_MS: number;
}

/** The services' own defaults (base.env.ts, orders.env.ts). */
export const DEFAULT_TIMINGS: Timings = {
  RPC_TIMEOUT_MS: 5000,
  CATALOG_RPC_TIMEOUT_MS: 2000,
  PENDING_RECOVERY_AFTER_MS: 10_000,
  RECOVERY_INTERVAL_MS: 1000,
  SHUTDOWN_GRACE_MS: 10_000,
};

/**
 * All the load comes from 127.0.0.1, so the per-address limits would refuse it (as in the bench):
 * the limiters stay on, with thresholds the run can't reach; so does the per-customer unit budget
 * (MAX_UNITS_PER_CUSTOMER), which a long run with few `--users` would otherwise exhaust. Pools stay
 * small: 2 replicas × 3 services share Postgres's 100 connections with everyone else's tests.
 */
const FIXED_ENV = {
  CATALOG_SEED_DEMO: 'false',
  RATE_LIMIT_RPM: '1000000',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
  LOGIN_MAX_FAILURES_PER_EMAIL: '1000',
  MAX_UNITS_PER_CUSTOMER: '100000000',
  REGISTRATION_MAX_ATTEMPTS_PER_ADDRESS: '100000',
  DB_POOL_SIZE: '5',
  LOG_LEVEL: 'info',
};

export function stackSettings(overrides: Partial<Timings> = {}): StackSettings {
  const timings = { ...DEFAULT_TIMINGS, ...overrides };
  const leaseMs = 3 * timings.CATALOG_RPC_TIMEOUT_MS + 1000;
  return {
    env: {
      ...FIXED_ENV,
      ...Object.fromEntries(Object.entries(timings).map(([name, value]) => [name, String(value)])),
    },
    gatewayTimeoutMs: timings.RPC_TIMEOUT_MS,
    answerSlackMs: 1000,
    pendingBoundMs: timings.PENDING_RECOVERY_AFTER_MS + timings.RECOVERY_INTERVAL_MS + leaseMs,
    stalledClaimantMs: leaseMs + timings.RECOVERY_INTERVAL_MS,
    shutdownGraceMs: timings.SHUTDOWN_GRACE_MS,
  };
}
