import { Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { GroupCommit, MemberResult, useGenericPlans } from '@app/common/database';
import { DomainError, fromWireError, toWireError } from '@app/common/errors';
import { appendToOutbox, eventEnvelope, OutboxRelay } from '@app/common/outbox';
import {
  CATALOG_EVENTS,
  EventEnvelope,
  ReservationResponse,
  ReservedLine,
  ReserveStockRequest,
  StockChangedEvent,
  StockChangeReason,
} from '@app/contracts';
import { CatalogEnv } from '../config/catalog.env';
import { toReservationResponse } from './reservation.mapper';
import { canonicalLines, rejectionOf, sameLines } from './reservation-rules';
import { ReservationRow, ReservationsRepository } from './reservations.repository';
import { StockChangeOfMove, stockChangeOfMove } from './stock-events';
import { StockMove, StockRepository } from './stock.repository';

/**
 * Stock reservations for orders. The first decision about an order id is final and recorded:
 * repeating a reserve or a release answers from the record and moves no stock again.
 */
@Injectable()
export class StockService {
  private readonly log = new Logger(StockService.name);
  private readonly reserves: GroupCommit<{ orderId: string; moves: StockMove[] }, ReservationRow | undefined>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly reservations: ReservationsRepository,
    private readonly stock: StockRepository,
    private readonly relay: OutboxRelay,
    // Without it (tests that build the service by hand) every reserve takes the plain path.
    @Optional() config?: CatalogEnv,
  ) {
    this.reserves = new GroupCommit({
      maxBatch: config?.GROUP_COMMIT_MAX_BATCH ?? 1,
      maxInFlight: config?.GROUP_COMMIT_MAX_IN_FLIGHT,
      // A product another member of the batch reserves too is a hot spot: plain path, at once.
      keysOf: (reserve) => [reserve.orderId, ...reserve.moves.map((move) => move.productId)],
      onSharedKey: 'alone',
      writeBatch: (batch) => this.reserveAtOnceTogether(batch),
      writeOne: ({ orderId, moves }) => this.reserveAtOnce(orderId, moves),
      onBatchFailure: (err, size) => this.log.warn({ err, size }, 'A batch of reserves failed; reserving one by one'),
    });
  }

  /**
   * All lines or none. The common case (a new order that can be served) is one statement; any
   * other goes through one transaction: lock the products in id order, claim the order id,
   * judge, take the stock with conditional updates, record the priced lines and a
   * `stock-changed` event per product. A refusal is recorded too (and nothing is taken).
   */
  async reserve(request: ReserveStockRequest): Promise<ReservationResponse> {
    const { orderId } = request;
    const moves = canonicalLines(request.lines);
    const reserved = await this.reserves.submit({ orderId, moves });
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
    const reserved = await this.reservations.reserveAtOnce(orderId, moves, reservedEvents(orderId, moves));
    if (reserved) {
      this.relay.nudge();
    }
    return reserved;
  }

  /**
   * Group commit of the one-statement path: the reserves of distinct orders arriving together run
   * as their one statements in one transaction, one commit. Each member's answer is what
   * `reserveAtOnce` alone would answer (its reservation, or undefined: the caller then takes the
   * transactional path after the commit). First every product of the batch is locked in id order,
   * so a batch locks in the same global order as every other transaction (no deadlock between
   * batches whose orders list products differently); any error (a CHECK violation in a race for
   * the last units) rolls the batch back, and its members are reserved one by one.
   */
  async reserveAtOnceTogether(
    batch: Array<{ orderId: string; moves: StockMove[] }>,
  ): Promise<Array<MemberResult<ReservationRow | undefined>>> {
    const rows = await this.dataSource.transaction(async (manager) => {
      await useGenericPlans(manager);
      const ids = [...new Set(batch.flatMap(({ moves }) => moves.map((move) => move.productId)))];
      await this.stock.lockAny(manager, ids);
      const reserved: Array<ReservationRow | undefined> = [];
      for (const { orderId, moves } of batch) {
        reserved.push(await this.reservations.reserveAtOnce(orderId, moves, reservedEvents(orderId, moves), manager));
      }
      return reserved;
    });
    if (rows.some(Boolean)) {
      this.relay.nudge();
    }
    return rows.map((value) => ({ value }));
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

/** The `stock-changed` events of a reserve taken on the one-statement path, one per product. */
function reservedEvents(orderId: string, moves: StockMove[]): Array<EventEnvelope<StockChangeOfMove>> {
  const occurredAt = new Date();
  return moves.map((move) =>
    eventEnvelope(CATALOG_EVENTS.STOCK_CHANGED, stockChangeOfMove(move, 'reserved', orderId), occurredAt),
  );
}
