import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, fromWireError, toWireError } from '@app/common/errors';
import { appendToOutbox, eventEnvelope, OutboxRelay } from '@app/common/outbox';
import {
  CATALOG_EVENTS,
  ReservationResponse,
  ReservedLine,
  ReserveStockRequest,
  StockChangedEvent,
  StockChangeReason,
} from '@app/contracts';
import { toReservationResponse } from './reservation.mapper';
import { canonicalLines, rejectionOf, sameLines } from './reservation-rules';
import { ReservationRow, ReservationsRepository } from './reservations.repository';
import { stockChangeOfMove } from './stock-events';
import { StockMove, StockRepository } from './stock.repository';

/**
 * Stock reservations for orders. The first decision about an order id is final and recorded:
 * repeating a reserve or a release answers from the record and moves no stock again.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reservations: ReservationsRepository,
    private readonly stock: StockRepository,
    private readonly relay: OutboxRelay,
  ) {}

  /**
   * All lines or none. The common case (a new order that can be served) is one statement; any
   * other goes through one transaction: lock the products in id order, claim the order id,
   * judge, take the stock with conditional updates, record the priced lines and a
   * `stock-changed` event per product. A refusal is recorded too (and nothing is taken).
   */
  async reserve(request: ReserveStockRequest): Promise<ReservationResponse> {
    const { orderId } = request;
    const moves = canonicalLines(request.lines);
    const reserved = await this.reserveAtOnce(orderId, moves);
    if (reserved) {
      return toReservationResponse(reserved);
    }
    // A repeat, a fenced order or a refusal: judged again under the locks, and recorded.
    return this.answerReserve(orderId, moves, await this.reserveInTransaction(orderId, moves));
  }

  /**
   * The one-statement path: the reservation when the order id is new and every line can be
   * served, else undefined with nothing changed. Public, like `reserveInTransaction`, so that
   * stock.int-spec.ts can hold both paths to the same scenarios.
   */
  async reserveAtOnce(orderId: string, moves: StockMove[]): Promise<ReservationRow | undefined> {
    const occurredAt = new Date();
    const events = moves.map((move) =>
      eventEnvelope(CATALOG_EVENTS.STOCK_CHANGED, stockChangeOfMove(move, 'reserved', orderId), occurredAt),
    );
    const reserved = await this.reservations.reserveAtOnce(orderId, moves, events);
    if (reserved) {
      this.relay.nudge();
    }
    return reserved;
  }

  /** The transactional path: decides any reserve (a repeat answers from the record) and records it. */
  async reserveInTransaction(orderId: string, moves: StockMove[]): Promise<ReservationRow | undefined> {
    return this.inTransaction(async (manager) => {
      // Products before the order id, as in reserveAtOnce: a retry of this order taking the other
      // path at the same moment then waits for us instead of deadlocking with us.
      const products = await this.stock.lockLive(
        manager,
        moves.map((move) => move.productId),
      );
      if (!(await this.reservations.claim(manager, orderId, moves))) {
        return this.reservations.find(orderId, manager);
      }
      const rejection = rejectionOf(moves, products);
      if (rejection) {
        return this.reservations.markRejected(manager, orderId, toWireError(rejection));
      }
      const taken = await this.stock.take(manager, moves);
      if (taken.length !== moves.length) {
        throw new Error(`Reservation ${orderId}: stock moved under a row lock`);
      }
      const byId = new Map(products.map((product) => [product.id, product]));
      const lines: ReservedLine[] = moves.map(({ productId, quantity }) => {
        const product = byId.get(productId)!;
        const { sku, name, priceCents: unitPriceCents, currency } = product;
        return { productId, sku, name, unitPriceCents, currency, quantity };
      });
      await this.recordStockChanges(manager, taken, moves, 'reserved', orderId);
      return this.reservations.markReserved(manager, orderId, lines, lines[0].currency);
    });
  }

  /**
   * Gives the stock of a reservation back exactly once. With no reservation, records the order as
   * released, so a reserve for it arriving later (a retry, a late message) takes nothing.
   */
  async release(orderId: string): Promise<ReservationResponse> {
    const row = await this.inTransaction(async (manager) => {
      const current =
        (await this.reservations.lock(manager, orderId)) ??
        (await this.reservations.fence(manager, orderId)) ??
        // A reserve committed between the two statements above: release what it took.
        (await this.reservations.lock(manager, orderId));
      if (!current || current.status !== 'reserved') {
        return current;
      }
      const moves = current.lines.map(({ productId, quantity }) => ({ productId, quantity }));
      await this.stock.lockAny(
        manager,
        moves.map((move) => move.productId),
      );
      const restocked = await this.stock.giveBack(manager, moves);
      await this.recordStockChanges(manager, restocked, moves, 'released', orderId);
      return this.reservations.markReleased(manager, orderId);
    });
    if (!row) {
      throw new Error(`Release of ${orderId} found no reservation and could not record one`);
    }
    return toReservationResponse(row);
  }

  async getReservation(orderId: string): Promise<ReservationResponse> {
    const row = await this.reservations.find(orderId);
    if (!row) {
      throw new DomainError('not-found', `No reservation for order ${orderId}`);
    }
    return toReservationResponse(row);
  }

  private answerReserve(orderId: string, moves: StockMove[], row: ReservationRow | undefined): ReservationResponse {
    if (!row || row.status === 'pending') {
      throw new Error(`Reservation ${orderId} vanished or is still pending after its claim`);
    }
    if (row.status === 'released') {
      throw new DomainError('conflict', `The reservation of order ${orderId} was released`, {
        details: { orderId, status: row.status },
      });
    }
    if (!sameLines(canonicalLines(row.requested), moves)) {
      throw new DomainError('conflict', `Order ${orderId} was already reserved with other lines`, {
        details: { orderId },
      });
    }
    if (row.status === 'rejected' && row.rejection) {
      throw fromWireError(row.rejection);
    }
    return toReservationResponse(row);
  }

  private async recordStockChanges(
    manager: EntityManager,
    changed: Array<{ id: string; sku: string; stock: number }>,
    moves: StockMove[],
    reason: StockChangeReason,
    orderId: string,
  ): Promise<void> {
    const moveOf = new Map(moves.map((move) => [move.productId, move]));
    for (const { id, sku, stock } of changed) {
      const move = moveOf.get(id) ?? { productId: id, quantity: 0 };
      await appendToOutbox<StockChangedEvent>(manager, CATALOG_EVENTS.STOCK_CHANGED, {
        ...stockChangeOfMove(move, reason, orderId),
        sku,
        stock,
      });
    }
  }

  private async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.relay.nudge();
    return result;
  }
}
