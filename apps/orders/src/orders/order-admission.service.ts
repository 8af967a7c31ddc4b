import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Queryable } from '@app/common/database';
import { OrderActor } from '@app/contracts';
import { OrdersEnv } from '../config/orders.env';
import { IdempotencyKeysRepository, KeyClaim } from '../idempotency/idempotency-keys.repository';
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
 */
@Injectable()
export class OrderAdmission {
  private readonly limits: OrderLimits;

  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly keys: IdempotencyKeysRepository,
    private readonly units: CustomerUnitsRepository,
    config: OrdersEnv,
  ) {
    this.limits = orderLimitsOf(config);
  }

  /** The new pending order of a request without an Idempotency-Key. */
  admit(order: NewOrder, actor: OrderActor): Promise<OrderRow> {
    return this.withinLimits(order, actor, (db) => this.orders.insert(order, db));
  }

  /** The new pending order bound to `claim`'s key, or undefined when the key is live (a repeat). */
  admitUnderKey(order: NewOrder, actor: OrderActor, claim: KeyClaim): Promise<OrderRow | undefined> {
    return this.withinLimits(order, actor, (db) => this.keys.createOrderUnderKey(order, claim, db));
  }

  private withinLimits<T extends OrderRow | undefined>(
    order: NewOrder,
    actor: OrderActor,
    create: (db: Queryable) => Promise<T>,
  ): Promise<T> {
    if (!isBounded(actor)) {
      return create(this.dataSource);
    }
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
