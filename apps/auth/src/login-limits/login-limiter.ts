import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PreparedQuery } from '@app/common/database';
import { AttemptWindow } from './attempt-window';
import { blockedLimits, tooManyAttempts } from './login-limit-rules';

export interface LoginLimits {
  maxPerEmail: number;
  maxPerAddress: number;
  windowSeconds: number;
}

interface Counts {
  email_count: string;
  address_count: string;
}

// Prepared statements: they run on every login (see PreparedQuery).
const RECORD_ATTEMPT = new PreparedQuery<{ id: string }>(
  'auth-record-login-attempt',
  `INSERT INTO "login_attempts" ("email", "client_address") VALUES ($1, $2) RETURNING "id"`,
);
const COUNT_ATTEMPTS = new PreparedQuery<Counts>(
  'auth-count-login-attempts',
  `SELECT
     (SELECT count(*) FROM "login_attempts" WHERE "email" = $1 AND "id" <> $3
        AND "attempted_at" > now() - make_interval(secs => $4)) AS "email_count",
     (SELECT count(*) FROM "login_attempts" WHERE "client_address" = $2 AND "id" <> $3
        AND "attempted_at" > now() - make_interval(secs => $4)) AS "address_count"`,
);
const FORGET_ATTEMPTS = new PreparedQuery<never>(
  'auth-forget-login-attempts',
  `DELETE FROM "login_attempts" WHERE "email" = $1 AND "id" <= $2`,
);

/**
 * Failed-login limits shared by every replica, kept in the auth database.
 *
 * An attempt is recorded *before* the password is checked, and counts as a failure until it is
 * known to have succeeded; it is then deleted. So concurrent attempts (from any replica) see each
 * other, and no burst can get more than the limit of password checks through: at worst a burst
 * is refused slightly early. A refused attempt is not recorded, so the window ends on time.
 */
export class LoginLimiter {
  private readonly log = new Logger(LoginLimiter.name);
  private readonly window: AttemptWindow;

  constructor(
    private readonly dataSource: DataSource,
    private readonly limits: LoginLimits,
  ) {
    this.window = new AttemptWindow(dataSource, 'login_attempts', limits.windowSeconds);
  }

  /** Records an attempt, or refuses it with `rate-limited` and the seconds until one is allowed. */
  async begin(email: string, clientAddress: string): Promise<string> {
    // Two statements, not one: the attempt must be committed (visible to every concurrent count)
    // before this one counts the others.
    const [{ id }] = await RECORD_ATTEMPT.rows(this.dataSource, [email, clientAddress]);
    const [counts] = await COUNT_ATTEMPTS.rows(this.dataSource, [email, clientAddress, id, this.limits.windowSeconds]);
    const { email: emailBlocked, address: addressBlocked } = blockedLimits(
      { email: Number(counts.email_count), address: Number(counts.address_count) },
      this.limits,
    );
    if (!emailBlocked && !addressBlocked) {
      return id;
    }
    await this.dataSource.query(`DELETE FROM "login_attempts" WHERE "id" = $1`, [id]);
    const waits = await Promise.all([
      emailBlocked ? this.window.secondsUntilBelowLimit('email', email, this.limits.maxPerEmail) : 0,
      addressBlocked
        ? this.window.secondsUntilBelowLimit('client_address', clientAddress, this.limits.maxPerAddress)
        : 0,
    ]);
    this.log.warn({ emailBlocked, addressBlocked, clientAddress }, 'Login refused: too many failed attempts');
    throw tooManyAttempts('Too many failed logins; try again later', waits);
  }

  /** The attempt succeeded: it, and the earlier failures for that email, stop counting. */
  async succeeded(attemptId: string, email: string): Promise<void> {
    await FORGET_ATTEMPTS.rows(this.dataSource, [email, attemptId]);
  }

  /** Drops attempts older than the window (any replica may run it; it is idempotent). */
  sweep(): Promise<void> {
    return this.window.sweep();
  }
}
