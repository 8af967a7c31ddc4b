import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OrdersEnv } from '../config/orders.env';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

const BATCH = 1000;

/**
 * Deletes idempotency keys older than IDEMPOTENCY_TTL_HOURS, on every replica, every
 * IDEMPOTENCY_CLEANUP_INTERVAL_MS. An expired key already behaves as unknown before it is swept
 * (a new request may take it over); the sweep only keeps the table small.
 */
@Injectable()
export class IdempotencyCleanup implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(IdempotencyCleanup.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly keys: IdempotencyKeysRepository,
    private readonly config: OrdersEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Deletes every expired key now; answers how many (for tests and tools). */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.keys.deleteExpired(BATCH);
      total += deleted;
      if (deleted < BATCH) {
        return total;
      }
    }
  }

  private schedule(): void {
    if (this.stopped) {
      return;
    }
    const interval = this.config.IDEMPOTENCY_CLEANUP_INTERVAL_MS;
    this.timer = setTimeout(
      () => {
        this.running = this.sweep()
          .then((deleted) => deleted > 0 && this.log.log(`Deleted ${deleted} expired idempotency key(s)`))
          .catch((error: unknown) => this.log.warn({ err: error }, 'Idempotency key cleanup failed; will retry'))
          .finally(() => {
            this.running = undefined;
            this.schedule();
          });
      },
      interval / 2 + Math.random() * interval,
    );
    this.timer.unref();
  }
}
