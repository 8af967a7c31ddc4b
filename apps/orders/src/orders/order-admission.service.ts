import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupCommit, MemberResult, Queryable, useGenericPlans } from '@app/common/database';
import { OrderActor } from '@app/contracts';
import { OrdersEnv } from '../config/orders.env';
import { IdempotencyKeysRepository, KeyClaim } from '../idempotency/idempotency-keys.repository';
import { Admission, AdmissionBatchRepository } from './admission-batch.repository';
import { CustomerUnitsRepository } from './customer-units.repository';
import { isBounded, limitBreach, OrderLimits, orderLimitsOf, unitsOf } from './order-limits';
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
 */
@Injectable()
export class OrderAdmission {
  private readonly log = new Logger(OrderAdmission.name);
  private readonly limits: OrderLimits;
  private readonly admissions: GroupCommit<Admission, OrderRow | undefined>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly keys: IdempotencyKeysRepository,
    private readonly units: CustomerUnitsRepository,
    private readonly batches: AdmissionBatchRepository,
    config: OrdersEnv,
  ) {
    this.limits = orderLimitsOf(config);
    this.admissions = new GroupCommit({
      maxBatch: config.GROUP_COMMIT_MAX_BATCH,
      maxInFlight: config.GROUP_COMMIT_MAX_IN_FLIGHT,
      keysOf: (admission) => [admission.order.userId],
      writeBatch: (batch) => this.admitBatch(batch),
      writeOne: ({ order, claim }) =>
        claim
          ? this.withinLimits(order, (db) => this.keys.createOrderUnderKey(order, claim, db))
          : this.withinLimits(order, (db) => this.orders.insert(order, db)),
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

  /**
   * One transaction for a batch of placements of distinct customers: lock them all, read each
   * one's held units and whether its key is live, judge, insert the admitted ones, commit. A
   * refused member gets its breach and has nothing created; a repeat gets undefined.
   */
  private async admitBatch(batch: Admission[]): Promise<Array<MemberResult<OrderRow | undefined>>> {
    return this.dataSource.transaction(async (manager) => {
      await useGenericPlans(manager);
      await this.batches.lockCustomers(
        manager,
        batch.map((member) => member.order.userId),
      );
      const states = await this.batches.stateOf(manager, batch, this.limits.windowMinutes);
      const results: Array<MemberResult<OrderRow | undefined> | undefined> = batch.map((member, i) => {
        if (states[i].keyLive) {
          return { value: undefined };
        }
        const units = unitsOf(member.order.requested);
        const breach = limitBreach(units, states[i].heldUnits + units, this.limits);
        return breach ? { error: breach } : undefined;
      });
      const admitted = batch.filter((_, i) => results[i] === undefined);
      const created = admitted.length > 0 ? await this.batches.insert(manager, admitted) : [];
      const byId = new Map(created.map((row) => [row.id, row]));
      // A key that went live since it was read (it can't, under the lock, but then: a repeat).
      return batch.map((member, i) => results[i] ?? { value: byId.get(member.order.id) });
    });
  }

  /** The plain admission of one placement of a bounded customer. */
  private withinLimits<T extends OrderRow | undefined>(
    order: NewOrder,
    create: (db: Queryable) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.units.lockCustomer(manager, order.userId);
      const created = await create(manager);
      if (created) {
        const held = await this.units.liveUnits(manager, order.userId, this.limits.windowMinutes);
        const breach = limitBreach(unitsOf(order.requested), held, this.limits);
        if (breach) {
          throw breach; // rolls the order and its key back
        }
      }
      return created;
    });
  }
}
