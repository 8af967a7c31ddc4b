import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CatalogClient } from '@app/common/clients';
import { OutboxRelay } from '@app/common/outbox';
import { OrderChangedEvent, ORDERS_EVENTS, ReservationResponse, WireError } from '@app/contracts';
import { eventEnvelope } from '@app/common/outbox';
import { OrdersEnv } from '../config/orders.env';
import { toOrderResponse } from './order.mapper';
import { priceOrder } from './order-pricing';
import { OrderRow, OrdersRepository } from './orders.repository';
import { outcomeOfRecord, RESERVATION_TIMED_OUT, ReservationOutcome } from './reservation-outcome';

/**
 * Moves a pending order to its end from what catalog says about its stock. Used by the saga (with
 * the answer to its reserve), by a retry that resumes an unsettled order, and by the recovery
 * worker (with catalog's record), possibly at the same time on several replicas:
 *
 * - confirm happens only from `pending` with no release requested;
 * - a fence is recorded (`stock_release = 'requested'`) before catalog is asked to release, so
 *   once a replica decided to fence, no replica can confirm, and a release is never sent for an
 *   order that could still be confirmed;
 * - the release is idempotent in catalog, so replicas finishing the same fence release once.
 *
 * Calls to catalog may throw (`service-unavailable`, `upstream-timeout`, ...): the order then stays
 * pending and recovery tries again later.
 */
@Injectable()
export class OrderSettlement {
  private readonly log = new Logger(OrderSettlement.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly catalog: CatalogClient,
    private readonly relay: OutboxRelay,
    private readonly config: OrdersEnv,
  ) {}

  /** Applies a known outcome to a pending order; answers the order as it ends up (maybe decided by another). */
  async apply(order: OrderRow, outcome: Exclude<ReservationOutcome, { kind: 'unknown' }>): Promise<OrderRow> {
    switch (outcome.kind) {
      case 'reserved':
        return this.confirm(order, outcome.reservation);
      case 'refused':
        return this.reject(order.id, outcome.rejection);
      case 'fenced':
      case 'absent':
        return this.fence(order.id);
    }
  }

  /** Drives a pending order to its end from catalog's record of it (recovery, resumed retries). */
  async settle(orderId: string): Promise<OrderRow> {
    const order = await this.current(orderId);
    if (order.status !== 'pending') {
      return order;
    }
    if (order.stockRelease === 'requested') {
      return this.finishFence(orderId);
    }
    const record = await this.catalog.findReservation(orderId, this.config.CATALOG_RPC_TIMEOUT_MS);
    const outcome = outcomeOfRecord(record);
    if (outcome.kind === 'unknown') {
      throw outcome.error;
    }
    return this.apply(order, outcome);
  }

  private async confirm(order: OrderRow, reservation: ReservationResponse): Promise<OrderRow> {
    const pricing = priceOrder(order.requested, reservation);
    // The app's clock stamps the confirmation, so the event can carry it; never before creation.
    const at = new Date(Math.max(Date.now(), order.createdAt.getTime()));
    const confirmedOrder: OrderRow = {
      ...order,
      status: 'confirmed',
      items: pricing.items,
      totalCents: String(pricing.totalCents),
      currency: pricing.currency,
      updatedAt: at,
      confirmedAt: at,
    };
    const event = eventEnvelope<OrderChangedEvent>(ORDERS_EVENTS.CONFIRMED, toOrderResponse(confirmedOrder));
    const confirmed = await this.orders.confirm(order.id, pricing, at, event);
    if (confirmed) {
      this.relay.nudge();
      return confirmed;
    }
    const current = await this.current(order.id);
    // A fence got in first: the reservation we hold is released by whoever finishes it.
    return current.status === 'pending' && current.stockRelease === 'requested' ? this.finishFence(order.id) : current;
  }

  private async reject(orderId: string, rejection: WireError): Promise<OrderRow> {
    return (await this.orders.reject(this.dataSource, orderId, rejection)) ?? this.current(orderId);
  }

  /** Records the decision to fence, then has catalog release (and so fence) the order, then rejects it. */
  private async fence(orderId: string): Promise<OrderRow> {
    const decided = await this.orders.requestFence(orderId);
    if (!decided) {
      const current = await this.current(orderId);
      if (current.status !== 'pending') {
        return current;
      }
    }
    return this.finishFence(orderId);
  }

  private async finishFence(orderId: string): Promise<OrderRow> {
    const reservation = await this.catalog.releaseStock(orderId, this.config.CATALOG_RPC_TIMEOUT_MS);
    // Catalog had refused the reserve (and took nothing): the order is rejected for that reason.
    const rejection =
      reservation.status === 'rejected' && reservation.rejection ? reservation.rejection : RESERVATION_TIMED_OUT;
    const rejected = await this.orders.reject(this.dataSource, orderId, rejection);
    if (rejected) {
      this.log.log({ orderId, released: reservation.lines.length > 0, code: rejection.code }, 'Fenced a pending order');
    }
    return rejected ?? this.current(orderId);
  }

  private async current(orderId: string): Promise<OrderRow> {
    const row = await this.orders.find(orderId);
    if (!row) {
      throw new Error(`Order ${orderId} vanished`);
    }
    return row;
  }
}
