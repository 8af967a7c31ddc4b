import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MemberResult, Queryable, useGenericPlans } from '@app/common/database';
import { OrdersEnv } from '../config/orders.env';
import { Admission, AdmissionBatchRepository } from './admission-batch.repository';
import { CustomerUnitsRepository } from './customer-units.repository';
import { limitBreach, OrderLimits, orderLimitsOf, unitsOf } from './order-limits';
import { NewOrder, OrderRow } from './orders.repository';

/**
 * The transactions that keep a customer's orders within the unit bounds (docs/orders-saga.md#unit-limits-stock-hoarding):
 * one for a lone placement, one for a batch of placements of distinct customers. Each takes the
 * customers' locks first, so placements of one customer, on any replica, are judged one after the
 * other, each seeing the orders of those before it. What to create, and when to batch, is
 * `OrderAdmission`'s.
 */
@Injectable()
export class CustomerBudget {
  private readonly limits: OrderLimits;

  constructor(
    private readonly dataSource: DataSource,
    private readonly units: CustomerUnitsRepository,
    private readonly batches: AdmissionBatchRepository,
    config: OrdersEnv,
  ) {
    this.limits = orderLimitsOf(config);
  }

  /**
   * One placement: lock the customer → `create` the order (or find its key live: undefined) →
   * judge the bounds with it counted → commit, or roll back and throw the breach (nothing created,
   * nothing remembered).
   */
  admitOne<T extends OrderRow | undefined>(order: NewOrder, create: (db: Queryable) => Promise<T>): Promise<T> {
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

  /**
   * One transaction for a batch of placements of distinct customers: lock them all, read each
   * one's held units and whether its key is live, judge, insert the admitted ones, commit. A
   * refused member gets its breach and has nothing created; a repeat gets undefined.
   */
  async admitBatch(batch: Admission[]): Promise<Array<MemberResult<OrderRow | undefined>>> {
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
}
