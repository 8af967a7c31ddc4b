import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pgPoolOf, Queryable, rowsOf } from '@app/common/database';
import {
  CreateProductRequest,
  ListProductsQuery,
  PRODUCT_RULES,
  ProductSort,
  UpdateProductRequest,
} from '@app/contracts';
import { CursorPosition } from './product-cursor';
import { ProductEntity } from './product.entity';

export type ProductRow = ProductEntity;
export type ListedProductRow = ProductRow & { sortKey: string | number | Date };

/** Selected columns, aliased to the entity's property names: one query returns ready rows. */
export const PRODUCT_COLUMNS = `"id", "sku", "name", "description", "price_cents" AS "priceCents", "currency",
  "stock", "category", "created_at" AS "createdAt", "updated_at" AS "updatedAt", "archived_at" AS "archivedAt"`;

const FIND_LIVE_SQL = `SELECT ${PRODUCT_COLUMNS} FROM "products" WHERE "id" = $1 AND "archived_at" IS NULL`;

/** The keyset of each sort: the key expression, its direction and the cast of a cursor value. */
const SORTS: Record<ProductSort, { key: string; direction: 'ASC' | 'DESC'; cast: string }> = {
  newest: { key: '"created_at"', direction: 'DESC', cast: 'timestamptz' },
  price_asc: { key: '"price_cents"', direction: 'ASC', cast: 'integer' },
  price_desc: { key: '"price_cents"', direction: 'DESC', cast: 'integer' },
  name: { key: 'lower("name")', direction: 'ASC', cast: 'text' },
};

/**
 * Applied to text searches (`q`), for their transaction only. Postgres prices ILIKE like any
 * cheap operator, so for a rare term it would filter thousands of rows (or scan the table)
 * instead of using the trigram indexes: measured 100-165 ms at 30k products. Pricing operators
 * closer to what ILIKE really costs, and making a sequential scan a last resort (not impossible),
 * kept every search shape at 0.1-9 ms from 1k to 100k products.
 */
export const SEARCH_PLANNER_SETTING =
  "SELECT set_config('enable_seqscan', 'off', true), set_config('cpu_operator_cost', '0.25', true)";

/** PATCH fields and their columns: the only columns an update may touch. */
export const UPDATABLE_COLUMNS: Record<keyof UpdateProductRequest, string> = {
  sku: 'sku',
  name: 'name',
  description: 'description',
  priceCents: 'price_cents',
  currency: 'currency',
  stock: 'stock',
  category: 'category',
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** SQL of the products table. Every read excludes archived rows; every write names its columns. */
@Injectable()
export class ProductsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(db: Queryable, product: CreateProductRequest): Promise<ProductRow> {
    const rows = await rowsOf<ProductRow>(
      db,
      `INSERT INTO "products" ("sku", "name", "description", "price_cents", "currency", "stock", "category")
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${PRODUCT_COLUMNS}`,
      [
        product.sku,
        product.name,
        product.description ?? '',
        product.priceCents,
        product.currency ?? PRODUCT_RULES.DEFAULT_CURRENCY,
        product.stock ?? 0,
        product.category ?? null,
      ],
    );
    return rows[0];
  }

  /**
   * The live row by id: the hottest read of the service. Outside a transaction it goes straight to
   * node-postgres's pool under TypeORM (same connections, same statement, same rows): TypeORM's
   * query() builds a query runner, takes and releases a connection and broadcasts events around
   * every statement. Errors are pg's own, which isDatabaseUnavailable classifies like TypeORM's.
   */
  async findLive(id: string, db?: Queryable): Promise<ProductRow | undefined> {
    if (db) {
      return (await rowsOf<ProductRow>(db, FIND_LIVE_SQL, [id]))[0];
    }
    const result = await pgPoolOf(this.dataSource).query<ProductRow>(FIND_LIVE_SQL, [id]);
    return result.rows[0];
  }

  /** The live row, locked until the transaction ends: updates serialize with reservations. */
  async lockLive(db: Queryable, id: string): Promise<ProductRow | undefined> {
    const rows = await rowsOf<ProductRow>(
      db,
      `SELECT ${PRODUCT_COLUMNS} FROM "products" WHERE "id" = $1 AND "archived_at" IS NULL FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  /** Writes only the given columns (never a whole stale row), and bumps `updated_at`. */
  async update(db: Queryable, id: string, changes: Partial<UpdateProductRequest>): Promise<ProductRow> {
    const fields = Object.keys(changes) as Array<keyof UpdateProductRequest>;
    const assignments = fields.map((field, index) => `"${UPDATABLE_COLUMNS[field]}" = $${index + 2}`);
    const rows = await rowsOf<ProductRow>(
      db,
      `UPDATE "products" SET ${[...assignments, '"updated_at" = now()'].join(', ')}
       WHERE "id" = $1 RETURNING ${PRODUCT_COLUMNS}`,
      [id, ...fields.map((field) => changes[field])],
    );
    return rows[0];
  }

  async archive(db: Queryable, id: string): Promise<ProductRow | undefined> {
    const rows = await rowsOf<ProductRow>(
      db,
      `UPDATE "products" SET "archived_at" = now(), "updated_at" = now()
       WHERE "id" = $1 AND "archived_at" IS NULL RETURNING ${PRODUCT_COLUMNS}`,
      [id],
    );
    return rows[0];
  }

  /**
   * One page of live products after `after`, in one indexed query (see listPageQuery). Returns
   * up to `limit + 1` rows, the extra one telling whether there is a next page.
   */
  async listPage(
    query: ListProductsQuery,
    sort: ProductSort,
    limit: number,
    after?: CursorPosition,
  ): Promise<ListedProductRow[]> {
    const { sql, params } = listPageQuery(query, sort, limit, after);
    if (query.q === undefined) {
      return rowsOf<ListedProductRow>(this.dataSource, sql, params);
    }
    return this.dataSource.transaction(async (manager) => {
      await manager.query(SEARCH_PLANNER_SETTING);
      return rowsOf<ListedProductRow>(manager, sql, params);
    });
  }
}

/**
 * The SQL of one listing page. The keyset condition `(key, id) > (cursor key, cursor id)` (`<`
 * for descending sorts) never skips or repeats a row, however many rows are inserted between
 * pages, and every sort, with or without a category, has a matching index over live rows.
 */
export function listPageQuery(
  query: ListProductsQuery,
  sort: ProductSort,
  limit: number,
  after?: CursorPosition,
): { sql: string; params: unknown[] } {
  const { key, direction, cast } = SORTS[sort];
  const params: unknown[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const where = ['"archived_at" IS NULL'];
  if (query.category !== undefined) {
    where.push(`"category" = ${param(query.category)}`);
  }
  if (query.minPrice !== undefined) {
    where.push(`"price_cents" >= ${param(query.minPrice)}`);
  }
  if (query.maxPrice !== undefined) {
    where.push(`"price_cents" <= ${param(query.maxPrice)}`);
  }
  if (query.q !== undefined) {
    const pattern = param(`%${escapeLike(query.q)}%`);
    where.push(`("name" ILIKE ${pattern} OR "description" ILIKE ${pattern})`);
  }
  if (after) {
    const comparison = direction === 'ASC' ? '>' : '<';
    where.push(`(${key}, "id") ${comparison} (${param(after.key)}::${cast}, ${param(after.id)}::uuid)`);
  }
  const sql = `SELECT ${PRODUCT_COLUMNS}, ${key} AS "sortKey" FROM "products" WHERE ${where.join(' AND ')}
    ORDER BY ${key} ${direction}, "id" ${direction} LIMIT ${param(limit + 1)}`;
  return { sql, params };
}
