import { Injectable, Logger } from '@nestjs/common';
import { GroupCommit } from '@app/common/database';
import { OrderActor } from '@app/contracts';
import { OrdersEnv } from '../config/orders.env';
import { IdempotencyKeysRepository, KeyClaim } from '../idempotency/idempotency-keys.repository';
import { Admission } from './admission-batch.repository';
import { CustomerBudget } from './customer-budget.service';
import { isBounded } from './order-limits';
import { NewOrder, OrderRow, OrdersRepository } from './orders.repository';

/**
 * The first step of the saga: the pending order is created (under its Idempotency-Key, if any)
 * only within the bounds on reserved units. For a customer, in one transaction:
 *
 *   lock the customer → create the order (or find its key live) → judge the bounds with it counted
 *   → commit, or roll back and refuse (nothing created, nothing remembered).
 *
 * The lock makes concurrent placements of one customer, on any replica, judge one after the other,
 * each seeing the orders of those before it, so together they never exceed the budget. A live key
 * creates nothing, so a replay is neither counted again nor refused: the caller answers it from
 * the key's record as before.
 *
 * Placements of different customers arriving together are admitted in one transaction (group
 * commit): all their customers locked in one statement, then judged as above, each with its own
 * customer's units, then the admitted ones inserted together. A batch holds at most one placement
 * per customer (a second one waits for the next batch), so each judgement is exactly the one it
 * would get alone.
 *
 * Here: what is created (an order, or an order under its key; an admin's is exempt from the
 * bounds) and the batching. The transactions themselves are `CustomerBudget`'s.
 */
@Injectable()
export class OrderAdmission {
  private readonly log = new Logger(OrderAdmission.name);
  private readonly admissions: GroupCommit<Admission, OrderRow | undefined>;

  constructor(
    private readonly orders: OrdersRepository,
    private readonly keys: IdempotencyKeysRepository,
    budget: CustomerBudget,
    config: OrdersEnv,
  ) {
    this.admissions = new GroupCommit({
      maxBatch: config.GROUP_COMMIT_MAX_BATCH,
      maxInFlight: config.GROUP_COMMIT_MAX_IN_FLIGHT,
      keysOf: (admission) => [admission.order.userId],
      writeBatch: (batch) => budget.admitBatch(batch),
      writeOne: ({ order, claim }) =>
        claim
          ? budget.admitOne(order, (db) => this.keys.createOrderUnderKey(order, claim, db))
          : budget.admitOne(order, (db) => this.orders.insert(order, db)),
      onBatchFailure: (err, size) => this.log.warn({ err, size }, 'A batch of admissions failed; admitting one by one'),
    });
  }

  /** The new pending order of a request without an Idempotency-Key. */
  async admit(order: NewOrder, actor: OrderActor): Promise<OrderRow> {
    if (!isBounded(actor)) {
      return this.orders.insert(order);
    }
    return (await this.admissions.submit({ order }))!;
  }

  /** The new pending order bound to `claim`'s key, or undefined when the key is live (a repeat). */
  admitUnderKey(order: NewOrder, actor: OrderActor, claim: KeyClaim): Promise<OrderRow | undefined> {
    if (!isBounded(actor)) {
      return this.keys.createOrderUnderKey(order, claim);
    }
    return this.admissions.submit({ order, claim });
  }
}
