import { Expose } from 'class-transformer';
import { IsString, MinLength, ValidateIf } from 'class-validator';
import { EnvBoolean, EnvInt, ServiceEnv } from '@app/common/config';

/**
 * Signs listing cursors outside production when CURSOR_SECRET is unset. It is public (it is in
 * this file), so cursors signed with it are only tamper-evident against honest mistakes; every
 * production replica must share a real secret instead.
 */
export const DEV_CURSOR_SECRET = 'bazaar-dev-cursor-secret-do-not-use-in-production';

/** Environment of the catalog service (see the configuration reference in the README). */
export class CatalogEnv extends ServiceEnv {
  @EnvInt(0, 65535) override OPS_PORT = 3002;

  /**
   * HMAC key of the listing cursors. Every replica must have the same one (a cursor issued by one
   * replica is read by another). Required in production; at least 32 characters.
   */
  @Expose()
  @ValidateIf((env: CatalogEnv) => env.NODE_ENV === 'production' || env.CURSOR_SECRET !== undefined)
  @IsString({ message: 'CURSOR_SECRET is required when NODE_ENV=production' })
  @MinLength(32)
  CURSOR_SECRET?: string;

  /** Load the demo catalog into an empty catalog database at start-up (never into a non-empty one). */
  @EnvBoolean() CATALOG_SEED_DEMO = false;

  /**
   * Group commit of reserves (docs/orders-saga.md#group-commit): most one-statement reserves run
   * in one transaction, one commit. Reserves arriving while a batch is written wait for the next
   * one. 1 turns batching off: one commit per reserve.
   */
  @EnvInt(1, 500) GROUP_COMMIT_MAX_BATCH = 32;

  /** Batches of reserves being written at once per replica; each holds a pool connection. */
  @EnvInt(1, 16) GROUP_COMMIT_MAX_IN_FLIGHT = 2;

  get cursorSecret(): string {
    return this.CURSOR_SECRET ?? DEV_CURSOR_SECRET;
  }
}
