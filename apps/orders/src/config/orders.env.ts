import { Expose } from 'class-transformer';
import { IsString, MinLength, ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';
import { EnvBoolean, EnvInt, EnvNumber, ServiceEnv } from '@app/common/config';

/**
 * Signs order-list cursors outside production when ORDERS_CURSOR_SECRET is unset. It is public (it
 * is in this file), so such cursors are only tamper-evident against honest mistakes; every
 * production replica must share a real secret instead.
 */
export const DEV_ORDERS_CURSOR_SECRET = 'bazaar-dev-orders-cursor-secret-do-not-use-in-production';

/** A pending order must outlive its own saga before recovery may take it over. */
const OutlivesTheSaga = (): PropertyDecorator =>
  ValidateBy({
    name: 'outlivesTheSaga',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        typeof value === 'number' && value >= 2 * (args?.object as OrdersEnv).CATALOG_RPC_TIMEOUT_MS,
      defaultMessage: () => 'PENDING_RECOVERY_AFTER_MS must be at least 2 × CATALOG_RPC_TIMEOUT_MS',
    },
  });

/** Clients are promised replays for 24 hours; only a test or a soak may shorten that. */
const KeepsTheReplayPromise = (): PropertyDecorator =>
  ValidateBy({
    name: 'keepsTheReplayPromise',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        typeof value === 'number' && (value >= 24 || (args?.object as OrdersEnv).NODE_ENV !== 'production'),
      defaultMessage: () => 'IDEMPOTENCY_TTL_HOURS must be at least 24 when NODE_ENV=production (the API promises it)',
    },
  });

/** A customer's budget must hold at least one order of the largest size allowed, or such orders could never be placed. */
const HoldsTheLargestOrder = (): PropertyDecorator =>
  ValidateBy({
    name: 'holdsTheLargestOrder',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        typeof value === 'number' && value >= (args?.object as OrdersEnv).MAX_UNITS_PER_ORDER,
      defaultMessage: () => 'MAX_UNITS_PER_CUSTOMER must be at least MAX_UNITS_PER_ORDER',
    },
  });

/** Environment of the orders service (see docs/orders-saga.md and the configuration reference in the README). */
export class OrdersEnv extends ServiceEnv {
  @EnvInt(0, 65535) override OPS_PORT = 3003;

  /**
   * HMAC key of the order-list cursors. Every replica must have the same one (a cursor issued by
   * one replica is read by another). Required in production; at least 32 characters.
   */
  @Expose()
  @ValidateIf((env: OrdersEnv) => env.NODE_ENV === 'production' || env.ORDERS_CURSOR_SECRET !== undefined)
  @IsString({ message: 'ORDERS_CURSOR_SECRET is required when NODE_ENV=production' })
  @MinLength(32)
  ORDERS_CURSOR_SECRET?: string;

  /**
   * How long a saga step waits for catalog (reserve, release, reservation lookup) before the order
   * is left pending for recovery and the client gets 503/504. Keep it below the gateway's
   * RPC_TIMEOUT_MS, so the client hears the orders service's answer rather than the gateway's.
   */
  @EnvInt(50, 60_000) CATALOG_RPC_TIMEOUT_MS = 2000;

  /**
   * Age at which a pending order is taken over by the recovery worker. At least twice
   * CATALOG_RPC_TIMEOUT_MS, so recovery never races a saga that is still waiting for catalog.
   */
  @EnvInt(100, 3_600_000) @OutlivesTheSaga() PENDING_RECOVERY_AFTER_MS = 10_000;

  /** How often each replica's recovery worker looks for due orders (pending ones, and owed stock releases). */
  @EnvInt(50, 600_000) RECOVERY_INTERVAL_MS = 1000;

  /** Most orders one replica takes per recovery round. */
  @EnvInt(1, 1000) RECOVERY_BATCH_SIZE = 50;

  /** Run the recovery worker in this replica. Leave it on: turn it off only for tests and maintenance. */
  @EnvBoolean() RECOVERY_ENABLED = true;

  /**
   * How long an Idempotency-Key is remembered (docs/api.md#idempotency: at least 24 hours, so production refuses
   * less). Decimals below 24 only outside production: the soak shortens it to show the table
   * levelling off within its run.
   */
  @EnvNumber(0.01, 24 * 365)
  @KeepsTheReplayPromise()
  IDEMPOTENCY_TTL_HOURS = 24;

  /** How often each replica deletes expired idempotency keys. */
  @EnvInt(1000, 86_400_000) IDEMPOTENCY_CLEANUP_INTERVAL_MS = 600_000;

  /**
   * Most units (the sum of the quantities of its lines) one order may reserve. The validation of docs/api.md#order-routes
   * alone allows 50 lines of 1000; the default is two full lines, so every body of one or two lines
   * passes, and a larger order is a bulk order that staff (admins, exempt) place. A shop sets what
   * one order may plausibly need.
   */
  @EnvInt(1, 50_000) MAX_UNITS_PER_ORDER = 2000;

  /**
   * Most units one customer's live orders (pending or confirmed) placed within the last
   * CUSTOMER_UNITS_WINDOW_MINUTES may hold together, so one account can't reserve the catalog's
   * stock away from everyone else (OWASP API6). Cancelled and rejected orders free their units.
   */
  @EnvInt(1, 100_000_000) @HoldsTheLargestOrder() MAX_UNITS_PER_CUSTOMER = 5000;

  /** The rolling window of MAX_UNITS_PER_CUSTOMER: orders placed longer ago than this no longer count. */
  @EnvInt(1, 43_200) CUSTOMER_UNITS_WINDOW_MINUTES = 1440;

  /**
   * Group commit (docs/orders-saga.md#group-commit): most admissions, or confirms, written together
   * in one transaction or statement. Requests arriving while a batch is written wait for the next
   * one, so each commit (one WAL flush, one round trip) serves many orders. 1 turns batching off:
   * every order takes the plain path, one commit per step.
   */
  @EnvInt(1, 500) GROUP_COMMIT_MAX_BATCH = 32;

  /** Batches of one kind (admissions, confirms) being written at once per replica; each holds a pool connection. */
  @EnvInt(1, 16) GROUP_COMMIT_MAX_IN_FLIGHT = 2;

  get cursorSecret(): string {
    return this.ORDERS_CURSOR_SECRET ?? DEV_ORDERS_CURSOR_SECRET;
  }

  /**
   * How long a recovery claim keeps other replicas off an order: a lookup and a release, each
   * bounded by the catalog timeout, with room to spare. A worker that dies (or freezes) holding a
   * claim delays the order by at most this.
   */
  get recoveryLeaseMs(): number {
    return 3 * this.CATALOG_RPC_TIMEOUT_MS + 1000;
  }

  /** How long a request holds its Idempotency-Key as "in flight" (409 to duplicates) unless it finishes first. */
  get idempotencyLeaseMs(): number {
    return 2 * this.CATALOG_RPC_TIMEOUT_MS + 2000;
  }

  /**
   * The longest an order stays pending while catalog, the orders database and at least one orders
   * replica are up: due after PENDING_RECOVERY_AFTER_MS, claimed within a round, settled within a
   * lease (or claimed again by another replica once the lease lapses). See docs/orders-saga.md.
   */
  get pendingBoundMs(): number {
    return this.PENDING_RECOVERY_AFTER_MS + this.RECOVERY_INTERVAL_MS + this.recoveryLeaseMs;
  }
}
