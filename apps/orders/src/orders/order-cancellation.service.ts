import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { appendToOutbox, OutboxRelay } from '@app/common/outbox';
import { CatalogClient } from '@app/common/clients';
import { DomainError } from '@app/common/errors';
import { OrderChangedEvent, OrderCommand, OrderResponse, ORDERS_EVENTS } from '@app/contracts';
import { OrdersEnv } from '../config/orders.env';
import { canSee, ownerScope } from './order-access';
import { toOrderResponse } from './order.mapper';
import { orderNotFound } from './order-reading.service';
import { OrdersRepository } from './orders.repository';

/**
 * Cancelling a confirmed order. The cancel itself is a local, durable decision (status, the stock
 * release owed, and the `cancelled` event, in one transaction); giving the stock back is then
 * asked of catalog at once, and retried by the recovery worker until catalog acknowledges it if
 * catalog can't be reached now. Catalog releases an order's stock exactly once however often it
 * is asked, so two racing cancels, or a cancel and a recovery, restore the stock once.
 */
@Injectable()
export class OrderCancellationService {
  private readonly log = new Logger(OrderCancellationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly catalog: CatalogClient,
    private readonly relay: OutboxRelay,
    private readonly config: OrdersEnv,
  ) {}

  async cancel({ orderId, actor }: OrderCommand): Promise<OrderResponse> {
    const cancelled = await this.dataSource.transaction(async (manager: EntityManager) => {
      const row = await this.orders.cancel(manager, orderId, ownerScope(actor), this.config.recoveryLeaseMs);
      if (row) {
        await appendToOutbox<OrderChangedEvent>(manager, ORDERS_EVENTS.CANCELLED, toOrderResponse(row));
      }
      return row;
    });
    if (!cancelled) {
      const current = await this.orders.find(orderId);
      if (!current || !canSee(actor, current)) {
        throw orderNotFound(orderId);
      }
      if (current.status === 'cancelled') {
        return toOrderResponse(current);
      }
      throw new DomainError(
        'conflict',
        `Only a confirmed order can be cancelled; order ${orderId} is ${current.status}`,
        {
          details: { orderId, status: current.status },
        },
      );
    }
    this.relay.nudge();
    await this.releaseStock(orderId).catch((error: unknown) =>
      this.log.warn({ err: error, orderId }, 'Stock release of a cancelled order deferred to recovery'),
    );
    return toOrderResponse(cancelled);
  }

  /** Gives a cancelled order's stock back (idempotent in catalog) and records that nothing is owed. */
  async releaseStock(orderId: string): Promise<void> {
    await this.catalog.releaseStock(orderId, this.config.CATALOG_RPC_TIMEOUT_MS);
    await this.orders.markReleased(orderId);
  }
}
