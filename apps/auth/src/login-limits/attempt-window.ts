import { DataSource } from 'typeorm';
import { rowsOf } from '@app/common/database';

/** The tables attempts are recorded in: one row per attempt, `attempted_at` defaulting to now(). */
export type AttemptTable = 'login_attempts' | 'registration_attempts';

/** What attempts are counted per. */
export type AttemptKey = 'email' | 'client_address';

/**
 * The mechanism of the failed-login limits, shared by the registration limit: attempts recorded one
 * row each in the auth database (so every replica sees the same counts), counted per key over a
 * sliding window, refused with `rate-limited` and the seconds until the window admits one more,
 * and swept once they leave the window. Each limiter decides for itself when to record and count.
 */
export class AttemptWindow {
  constructor(
    private readonly dataSource: DataSource,
    private readonly table: AttemptTable,
    readonly windowSeconds: number,
  ) {}

  /** When the newest `limit`-th attempt leaves the window, fewer than `limit` remain in it. */
  async secondsUntilBelowLimit(key: AttemptKey, value: string, limit: number): Promise<number> {
    const rows = await rowsOf<{ seconds: string }>(
      this.dataSource,
      `SELECT ceil(extract(epoch FROM "attempted_at" + make_interval(secs => $2) - now())) AS "seconds"
         FROM "${this.table}"
        WHERE "${key}" = $1 AND "attempted_at" > now() - make_interval(secs => $2)
        ORDER BY "attempted_at" DESC OFFSET $3 LIMIT 1`,
      [value, this.windowSeconds, limit - 1],
    );
    return rows.length > 0 ? Number(rows[0].seconds) : 1;
  }

  /** Drops attempts older than the window (any replica may run it; it is idempotent). */
  async sweep(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM "${this.table}" WHERE "attempted_at" < now() - make_interval(secs => $1)`,
      [this.windowSeconds],
    );
  }
}
