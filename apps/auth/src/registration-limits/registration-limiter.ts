import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rowsOf } from '@app/common/database';
import { AttemptWindow } from '../login-limits/attempt-window';
import { tooManyAttempts } from '../login-limits/login-limit-rules';

export interface RegistrationLimits {
  maxPerAddress: number;
  windowSeconds: number;
}

/**
 * Records the attempt only while fewer than the limit are in the window. It runs after the per-address
 * lock (its own statement, so its snapshot sees every attempt committed by the lock's last holder).
 */
const RECORD_IF_BELOW_LIMIT = `
  INSERT INTO "registration_attempts" ("client_address")
  SELECT $1::varchar
   WHERE (SELECT count(*) FROM "registration_attempts"
           WHERE "client_address" = $1::varchar AND "attempted_at" > now() - make_interval(secs => $2)) < $3
  RETURNING "id"`;

/**
 * Registration attempts per client address, shared by every replica (the login limits' mechanism:
 * rows in the auth database counted over a sliding window). Every admitted attempt counts, whether
 * it creates an account or finds the email taken: a 409 names a registered email, so without this
 * bound a cheap duplicate check would be an enumeration oracle faster than any login.
 *
 * Unlike logins, admission is exact: attempts from one address take turns on a transaction-scoped
 * advisory lock, so of N concurrent attempts (on any replicas) exactly as many pass as the window has
 * room for. Registration has no hot path to protect, and an early refusal would be an error a real
 * user sees; other addresses never wait on it (bar a 32-bit hash collision, which only serializes).
 */
export class RegistrationLimiter {
  private readonly log = new Logger(RegistrationLimiter.name);
  private readonly window: AttemptWindow;

  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: RegistrationLimits,
  ) {
    this.window = new AttemptWindow(dataSource, 'registration_attempts', limits.windowSeconds);
  }

  /** Counts one attempt from `clientAddress`, or refuses it with `rate-limited` and Retry-After. */
  async admit(clientAddress: string): Promise<void> {
    const admitted = await this.dataSource.transaction(async (manager) => {
      // The two-key form: a lock space apart from the migrations' single-key advisory lock.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('auth.registration-attempts'), hashtext($1::text))`, [
        clientAddress,
      ]);
      const recorded = await rowsOf<{ id: string }>(manager, RECORD_IF_BELOW_LIMIT, [
        clientAddress,
        this.limits.windowSeconds,
        this.limits.maxPerAddress,
      ]);
      return recorded.length > 0;
    });
    if (admitted) {
      return;
    }
    const wait = await this.window.secondsUntilBelowLimit('client_address', clientAddress, this.limits.maxPerAddress);
    this.log.warn({ clientAddress }, 'Registration refused: too many attempts from this address');
    throw tooManyAttempts('Too many registrations from this address; try again later', [wait]);
  }

  /** Drops attempts older than the window (any replica may run it; it is idempotent). */
  sweep(): Promise<void> {
    return this.window.sweep();
  }
}
