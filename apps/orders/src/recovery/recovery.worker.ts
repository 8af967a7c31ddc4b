import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OrdersEnv } from '../config/orders.env';
import { OrderCancellationService } from '../orders/order-cancellation.service';
import { OrderSettlement } from '../orders/order-settlement.service';
import { OrderRow, OrdersRepository } from '../orders/orders.repository';

/**
 * Runs on every replica. Each round claims the orders that need work now, with `FOR UPDATE SKIP
 * LOCKED` and a lease (so two replicas never work on the same order, and a dead or frozen
 * claimant is replaced when its lease lapses), and:
 * - settles each order still pending PENDING_RECOVERY_AFTER_MS after it was placed: asks catalog
 *   for the reservation by order id, then confirms it, or fences it (release) and rejects it;
 * - gives back the stock of cancelled orders whose release catalog has not acknowledged yet.
 * A failure (catalog unreachable) leaves the order to the next claim, one lease later.
 */
@Injectable()
export class RecoveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(RecoveryWorker.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;

  constructor(
    private readonly orders: OrdersRepository,
    private readonly settlement: OrderSettlement,
    private readonly cancellation: OrderCancellationService,
    private readonly config: OrdersEnv,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RECOVERY_ENABLED) {
      this.log.warn('Recovery worker disabled (RECOVERY_ENABLED=false): other replicas must run it');
      return;
    }
    this.stopped = false;
    this.log.log(`Recovery worker started: no order stays pending longer than ~${this.config.pendingBoundMs} ms`);
    this.schedule(this.jittered());
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round: claims what is due and works on it; answers how many orders it claimed. */
  async runOnce(): Promise<number> {
    const due = await this.orders.claimDue(this.config.RECOVERY_BATCH_SIZE, this.config.recoveryLeaseMs);
    await Promise.all(due.map((order) => this.recover(order)));
    return due.length;
  }

  private async recover(order: OrderRow): Promise<void> {
    try {
      if (order.status === 'pending') {
        const settled = await this.settlement.settle(order.id);
        this.log.log(
          { orderId: order.id, status: settled.status, attempt: order.recoveryAttempts },
          'Recovered an order',
        );
      } else if (order.stockRelease === 'requested') {
        await this.cancellation.releaseStock(order.id);
        this.log.log({ orderId: order.id, attempt: order.recoveryAttempts }, 'Released the stock of a cancelled order');
      }
    } catch (error) {
      this.log.warn(
        { err: error, orderId: order.id, attempt: order.recoveryAttempts },
        'Recovery attempt failed; the order will be claimed again when its lease lapses',
      );
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) => {
          this.log.warn({ err: error }, 'Recovery round failed; will retry');
          return 0;
        })
        .then((claimed) => {
          this.running = undefined;
          // A full batch means a backlog (after an outage): keep going without waiting.
          this.schedule(claimed >= this.config.RECOVERY_BATCH_SIZE ? 0 : this.jittered());
        });
    }, delayMs);
    this.timer.unref();
  }

  /** Spreads the replicas' rounds over the interval instead of having them all query at once. */
  private jittered(): number {
    return this.config.RECOVERY_INTERVAL_MS * (0.75 + Math.random() * 0.5);
  }
}
