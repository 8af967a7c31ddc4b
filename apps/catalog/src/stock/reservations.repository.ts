import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isCheckViolation, PreparedQuery, Queryable, rowsOf } from '@app/common/database';
import { outboxInsertFrom } from '@app/common/outbox';
import { EventEnvelope, ReservedLine, ReserveStockLine, WireError } from '@app/contracts';
import { completedEnvelopeSql } from '@app/common/outbox';
import { ReservationEntity } from './reservation.entity';
import { SERVABLE_SQL } from './reservation-rules';
import { StockChangeKnownByStatement, StockChangeOfMove } from './stock-events';
import { StockMove } from './stock.repository';

export type ReservationRow = ReservationEntity;

const COLUMNS = `"order_id" AS "orderId", "status", "requested", "lines", "currency", "rejection",
  "created_at" AS "createdAt", "updated_at" AS "updatedAt"`;

const RESERVE_AT_ONCE_PAYLOAD = completedEnvelopeSql<StockChangeKnownByStatement>('"taken"."event"', {
  sku: '"taken"."sku"',
  stock: '"taken"."stock"',
});

/**
 * Catalog's one-statement reserve (see `reserveAtOnce`), prepared: it runs once per order. A batch
 * of reserves runs it on its generic plan (checked by generic-plans.int-spec.ts).
 */
export const RESERVE_AT_ONCE = new PreparedQuery<ReservationRow>(
  'catalog_reserve_at_once',
  `WITH "moves" AS (
     SELECT * FROM unnest($2::uuid[], $3::integer[], $4::jsonb[]) WITH ORDINALITY AS m("id", "quantity", "event", "n")
   ), "locked" AS MATERIALIZED (
     SELECT "id", "sku", "name", "price_cents", "currency", "stock" FROM "products"
     WHERE "id" = ANY($2::uuid[]) AND "archived_at" IS NULL ORDER BY "id" FOR UPDATE
   ), "judged" AS (
     SELECT ${SERVABLE_SQL} AS "servable",
       min(p."currency") AS "currency",
       jsonb_agg(jsonb_build_object('productId', m."id", 'sku', p."sku", 'name', p."name",
         'unitPriceCents', p."price_cents", 'currency', p."currency", 'quantity', m."quantity") ORDER BY m."n") AS "lines"
     FROM "moves" m JOIN "locked" p ON p."id" = m."id"
   ), "claimed" AS (
     INSERT INTO "reservations" ("order_id", "status", "requested", "lines", "currency")
     SELECT $1::uuid, 'reserved', $5::jsonb, j."lines", j."currency" FROM "judged" j WHERE j."servable"
     ON CONFLICT ("order_id") DO NOTHING RETURNING ${COLUMNS}
   ), "taken" AS (
     UPDATE "products" AS p SET "stock" = p."stock" - m."quantity", "updated_at" = now()
     FROM "moves" m WHERE p."id" = m."id" AND EXISTS (SELECT 1 FROM "claimed")
     RETURNING p."sku", p."stock", m."event"
   ), "events" AS (${outboxInsertFrom('taken', RESERVE_AT_ONCE_PAYLOAD)})
   SELECT * FROM "claimed"`,
);

/** SQL of the reservations table. */
@Injectable()
export class ReservationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the order id for this transaction. Answers false when a reservation for it already
   * committed; a concurrent claim of the same id waits here until the first one commits or
   * rolls back, so two replicas can never both reserve for one order.
   */
  async claim(db: Queryable, orderId: string, requested: ReserveStockLine[]): Promise<boolean> {
    const rows = await rowsOf<unknown>(
      db,
      `INSERT INTO "reservations" ("order_id", "status", "requested") VALUES ($1, 'pending', $2)
       ON CONFLICT ("order_id") DO NOTHING RETURNING "order_id"`,
      [orderId, JSON.stringify(requested)],
    );
    return rows.length === 1;
  }

  /**
   * The whole of a reserve that can be served, in one statement (one round trip, one commit, row
   * locks held only while Postgres runs it): lock the live products in id order (the one lock
   * order of every multi-product transaction: no deadlocks), judge them by the reservation rules
   * (`SERVABLE_SQL`, the SQL form of `rejectionOf`), and only if every line can be served record
   * the reservation as `reserved` with its priced lines, take the stock and append one
   * `stock-changed` event per product: `events[i]` (built by the shared `eventEnvelope`) for
   * `moves[i]`, completed in SQL with the sku and the stock left, which only the statement knows.
   * The CTEs share one snapshot, but `FOR UPDATE` (and the UPDATE after it) work on the latest
   * committed version of each row, so the judgement and the arithmetic see the stock they change,
   * and `products_stock_not_negative` would abort the whole statement rather than oversell.
   *
   * Answers undefined, having changed nothing, when the order id already has a record (a repeat,
   * a fence) or when any line can't be served: the caller then takes the transactional path,
   * which answers repeats and records refusals. `db` is the transaction of a batch of reserves
   * (group commit), which then commits them together.
   */
  async reserveAtOnce(
    orderId: string,
    moves: StockMove[],
    events: Array<EventEnvelope<StockChangeOfMove>>,
    db: DataSource | EntityManager = this.dataSource,
  ): Promise<ReservationRow | undefined> {
    const rows = await RESERVE_AT_ONCE.rows(db, [
      orderId,
      moves.map((move) => move.productId),
      moves.map((move) => move.quantity),
      events.map((event) => JSON.stringify(event)),
      JSON.stringify(moves),
    ]).catch((error: unknown) => {
      // Seen under racing reserves of the last units (npm run chaos, stock.int-spec.ts): the
      // statement judged a line servable, then its UPDATE took the stock from a lower count and
      // the constraint aborted it. Nothing was written: the transactional path judges again under
      // the locks and answers (reserved, or insufficient-stock) instead of an internal error.
      // Inside a caller's transaction (a batch) the error aborted the transaction: it must surface.
      if (db === this.dataSource && isCheckViolation(error, 'products_stock_not_negative')) {
        return [];
      }
      throw error;
    });
    return rows[0];
  }

  async find(orderId: string, db: Queryable = this.dataSource): Promise<ReservationRow | undefined> {
    const rows = await rowsOf<ReservationRow>(
      db,
      `SELECT ${COLUMNS} FROM "reservations" WHERE "order_id" = $1 AND "status" <> 'pending'`,
      [orderId],
    );
    return rows[0];
  }

  async lock(db: Queryable, orderId: string): Promise<ReservationRow | undefined> {
    const rows = await rowsOf<ReservationRow>(
      db,
      `SELECT ${COLUMNS} FROM "reservations" WHERE "order_id" = $1 FOR UPDATE`,
      [orderId],
    );
    return rows[0];
  }

  async markReserved(db: Queryable, orderId: string, lines: ReservedLine[], currency: string) {
    return this.finish(db, orderId, `"status" = 'reserved', "lines" = $2, "currency" = $3`, [
      JSON.stringify(lines),
      currency,
    ]);
  }

  async markRejected(db: Queryable, orderId: string, rejection: WireError): Promise<ReservationRow> {
    return this.finish(db, orderId, `"status" = 'rejected', "rejection" = $2`, [JSON.stringify(rejection)]);
  }

  async markReleased(db: Queryable, orderId: string): Promise<ReservationRow> {
    return this.finish(db, orderId, `"status" = 'released'`, []);
  }

  /**
   * Records a release for an order that has no reservation: a reserve for it still on its way
   * (a retry, or a request that outlived its caller's timeout) then finds the order released and
   * takes nothing. Answers undefined when a reservation committed first.
   */
  async fence(db: Queryable, orderId: string): Promise<ReservationRow | undefined> {
    const rows = await rowsOf<ReservationRow>(
      db,
      `INSERT INTO "reservations" ("order_id", "status", "requested") VALUES ($1, 'released', '[]')
       ON CONFLICT ("order_id") DO NOTHING RETURNING ${COLUMNS}`,
      [orderId],
    );
    return rows[0];
  }

  private async finish(db: Queryable, orderId: string, set: string, params: unknown[]): Promise<ReservationRow> {
    const rows = await rowsOf<ReservationRow>(
      db,
      `UPDATE "reservations" SET ${set}, "updated_at" = now() WHERE "order_id" = $1 RETURNING ${COLUMNS}`,
      [orderId, ...params],
    );
    return rows[0];
  }
}
