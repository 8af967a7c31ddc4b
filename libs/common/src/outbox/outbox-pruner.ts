import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OutboxPrunerSettings {
  /** Published rows older than this (since publication) are deleted. */
  retentionMs: number;
  /** Rows per DELETE: small enough that each statement is brief. */
  batchSize?: number;
  /** Time between runs. */
  intervalMs?: number;
  /** A run stops after this many batches and leaves the rest to the next one. */
  maxBatchesPerRun?: number;
}

/**
 * Keeps the outbox table bounded: events live on in the JetStream stream once published, so their
 * rows are deleted `retentionMs` after publication (kept that long for a look at what was sent).
 * In short batches of the oldest rows, each claimed with `FOR UPDATE SKIP LOCKED`: a batch never
 * waits for a row the relay holds (the relay only ever holds unpublished rows, which this never
 * selects), and the relay never waits for more than one brief DELETE. Every replica runs one; SKIP
 * LOCKED keeps two from deleting the same rows.
 */
export class OutboxPruner {
  private readonly log = new Logger('OutboxPruner');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: OutboxPrunerSettings,
  ) {}

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One run: deletes expired rows batch by batch; returns how many. */
  async pruneOnce(): Promise<number> {
    const batchSize = this.settings.batchSize ?? 1000;
    let deleted = 0;
    for (let batch = 0; batch < (this.settings.maxBatchesPerRun ?? 20); batch++) {
      // Counted in a SELECT: TypeORM hands a DELETE's RETURNING back as [rows, count].
      const [{ n }] = await this.dataSource.query<Array<{ n: number }>>(
        `WITH deleted AS (
           DELETE FROM "outbox" WHERE "seq" IN (
             SELECT "seq" FROM "outbox"
             WHERE "published_at" < now() - make_interval(secs => $1::double precision)
             ORDER BY "seq" LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING 1)
         SELECT count(*)::int AS n FROM deleted`,
        [this.settings.retentionMs / 1000, batchSize],
      );
      deleted += n;
      if (n < batchSize) {
        break;
      }
    }
    return deleted;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.pruneOnce();
      this.running
        .then((deleted) => {
          if (deleted > 0) {
            this.log.log(`Deleted ${deleted} published outbox row(s)`);
          }
        })
        .catch((error: unknown) => this.log.warn({ err: error }, 'Outbox pruning failed; will retry'))
        .finally(() => {
          this.running = undefined;
          if (this.timer) {
            this.schedule();
          }
        });
    }, this.settings.intervalMs ?? 60_000);
    // Never what keeps a process alive.
    this.timer.unref();
  }
}
