import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PreparedQuery, Queryable, rowsOf } from '@app/common/database';

/** What a reservation needs of a product, read under its row lock. */
export interface StockRow {
  id: string;
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
}

export interface StockMove {
  productId: string;
  quantity: number;
}

/** Prepared: every batch of reserves takes it first (group commit), on its generic plan. */
export const LOCK_ANY = new PreparedQuery<{ id: string }>(
  'catalog_lock_products',
  `SELECT "id" FROM "products" WHERE "id" = ANY($1::uuid[]) ORDER BY "id" FOR UPDATE`,
);

/**
 * Stock arithmetic, always done by Postgres on locked rows (`stock = stock - n`), never as a
 * value computed in JavaScript and written back, so no concurrent change is ever overwritten.
 */
@Injectable()
export class StockRepository {
  /**
   * Locks the live products among `ids` in id order. Every transaction that locks several
   * products does it in this one order, so two of them can't each hold a row the other waits
   * for (no deadlocks), however the order lines were listed.
   */
  async lockLive(db: Queryable, ids: string[]): Promise<StockRow[]> {
    return rowsOf<StockRow>(
      db,
      `SELECT "id", "sku", "name", "price_cents" AS "priceCents", "currency", "stock" FROM "products"
       WHERE "id" = ANY($1::uuid[]) AND "archived_at" IS NULL ORDER BY "id" FOR UPDATE`,
      [ids],
    );
  }

  /** Locks products in id order whatever their state (a release restocks archived ones too). */
  async lockAny(db: DataSource | EntityManager, ids: string[]): Promise<Array<{ id: string }>> {
    return LOCK_ANY.rows(db, [ids]);
  }

  /**
   * Takes stock for every move, only where enough is left (`stock >= quantity`): the condition
   * is the last line of defence should a caller not hold the locks. Returns the rows it changed.
   */
  async take(db: Queryable, moves: StockMove[]): Promise<Array<{ id: string; sku: string; stock: number }>> {
    return rowsOf(
      db,
      `UPDATE "products" AS p SET "stock" = p."stock" - m."quantity", "updated_at" = now()
       FROM unnest($1::uuid[], $2::integer[]) AS m("id", "quantity")
       WHERE p."id" = m."id" AND p."archived_at" IS NULL AND p."stock" >= m."quantity"
       RETURNING p."id", p."sku", p."stock"`,
      [moves.map((move) => move.productId), moves.map((move) => move.quantity)],
    );
  }

  async giveBack(db: Queryable, moves: StockMove[]): Promise<Array<{ id: string; sku: string; stock: number }>> {
    return rowsOf(
      db,
      `UPDATE "products" AS p SET "stock" = p."stock" + m."quantity", "updated_at" = now()
       FROM unnest($1::uuid[], $2::integer[]) AS m("id", "quantity")
       WHERE p."id" = m."id"
       RETURNING p."id", p."sku", p."stock"`,
      [moves.map((move) => move.productId), moves.map((move) => move.quantity)],
    );
  }
}
