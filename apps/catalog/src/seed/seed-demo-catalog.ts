import { DataSource } from 'typeorm';
import { rowsOf } from '@app/common/database';
import { appendToOutbox } from '@app/common/outbox';
import { CATALOG_EVENTS, CreateProductRequest, PRODUCT_RULES } from '@app/contracts';
import { toProductResponse } from '../products/product.mapper';
import { PRODUCT_COLUMNS, ProductRow } from '../products/products.repository';
import { demoCatalog } from './demo-catalog';

const SEED_LOCK = 'bazaar-catalog-seed';

/**
 * Loads `products` (the demo catalog by default) into an empty catalog, in one transaction,
 * with a `product-created` event each. Replicas starting together serialize on an advisory lock
 * and the first one in seeds; the others then find products and do nothing. A database holding
 * any product, even an archived one, is never touched. Returns how many products it inserted.
 */
export async function seedDemoCatalog(
  dataSource: DataSource,
  products: CreateProductRequest[] = demoCatalog(),
): Promise<number> {
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SEED_LOCK]);
    const [{ empty }] = await rowsOf<{ empty: boolean }>(
      manager,
      'SELECT NOT EXISTS (SELECT 1 FROM "products") AS "empty"',
    );
    if (!empty) {
      return 0;
    }
    // Spread creation times one second apart, so `newest` lists the catalog in a stable order.
    const rows = await rowsOf<ProductRow>(
      manager,
      `INSERT INTO "products"
         ("sku", "name", "description", "price_cents", "currency", "stock", "category", "created_at", "updated_at")
       SELECT s.sku, s.name, s.description, s.price_cents, s.currency, s.stock, s.category,
              now() - make_interval(secs => s.ord), now() - make_interval(secs => s.ord)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::integer[], $7::text[])
            WITH ORDINALITY AS s(sku, name, description, price_cents, currency, stock, category, ord)
       ORDER BY s.ord
       RETURNING ${PRODUCT_COLUMNS}`,
      [
        products.map((p) => p.sku),
        products.map((p) => p.name),
        products.map((p) => p.description ?? ''),
        products.map((p) => p.priceCents),
        products.map((p) => p.currency ?? PRODUCT_RULES.DEFAULT_CURRENCY),
        products.map((p) => p.stock ?? 0),
        products.map((p) => p.category ?? null),
      ],
    );
    for (const row of rows) {
      await appendToOutbox(manager, CATALOG_EVENTS.PRODUCT_CREATED, toProductResponse(row));
    }
    return rows.length;
  });
}
