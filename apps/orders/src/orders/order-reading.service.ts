import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/common/errors';
import { ListOrdersCommand, OrderCommand, OrderResponse, Page, PAGE_RULES } from '@app/contracts';
import { canSee } from './order-access';
import { OrderCursorCodec } from './order-cursor';
import { toOrderResponse } from './order.mapper';
import { OrdersRepository } from './orders.repository';

export function orderNotFound(id: string): DomainError {
  return new DomainError('not-found', `No order ${id}`);
}

/** Reading orders: owners see theirs, admins see all; for anyone else an order does not exist. */
@Injectable()
export class OrderReadingService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly cursors: OrderCursorCodec,
  ) {}

  async get({ orderId, actor }: OrderCommand): Promise<OrderResponse> {
    const row = await this.orders.find(orderId);
    if (!row || !canSee(actor, row)) {
      throw orderNotFound(orderId);
    }
    return toOrderResponse(row);
  }

  /** Newest first. A customer lists its own orders; an admin lists all, or one user's with `userId`. */
  async list(command: ListOrdersCommand): Promise<Page<OrderResponse>> {
    const { actor } = command;
    const filter = command.userId?.toLowerCase();
    if (actor.role !== 'admin' && filter !== undefined && filter !== actor.userId.toLowerCase()) {
      throw new DomainError('forbidden', 'Only admins may list the orders of another user');
    }
    const owner = actor.role === 'admin' ? (filter ?? null) : actor.userId.toLowerCase();
    const limit = command.limit ?? PAGE_RULES.LIMIT_DEFAULT;
    const after = command.cursor === undefined ? undefined : this.cursors.decode(command.cursor, owner);
    const rows = await this.orders.listPage(owner, limit, after);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? this.cursors.encode(owner, { createdAt: last.createdAt.toISOString(), id: last.id })
        : null;
    return { items: items.map(toOrderResponse), nextCursor };
  }
}
