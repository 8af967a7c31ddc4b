import { Client } from 'pg';

/** What the scenarios need to know about the catalog they run against. */
export interface CatalogFixture {
  productIds: string[];
  categories: string[];
  /** Words that occur in product names: the `q` of product-search. */
  searchWords: string[];
  /** Σ stock over `productIds` when the fixture was made: the start of the stock ledger. */
  initialStock: bigint;
}

/** Plentiful, so order-place never meets insufficient-stock (a 409 would be a bench artefact). */
export const SEEDED_STOCK = 1_000_000;
const CATEGORIES = Array.from({ length: 20 }, (_, i) => `bench-category-${String(i).padStart(2, '0')}`);
const ADJECTIVES = ['red', 'blue', 'steel', 'oak', 'linen', 'glass', 'smart', 'tiny', 'heavy', 'vintage'];
const NOUNS = ['mug', 'lamp', 'chair', 'kettle', 'scarf', 'clock', 'bowl', 'speaker', 'notebook', 'backpack'];

/** Deterministic (mulberry32), so every run seeds the same catalog. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeds `size` products straight into the (empty, just migrated) catalog database with one
 * multi-row INSERT: 10k products take well under a second, where the admin API would need 10k
 * requests. What this skips, and why that is safe here:
 * - no `product-created` outbox events: nothing the bench measures consumes them, and the relay
 *   would otherwise publish 10k events to JetStream during the first scenario, measuring the seed;
 * - no cache fill or invalidation: rows are inserted before the stack has served a single
 *   product read, so no cache filled on read (the gateway's read cache is) can hold a
 *   stale entry for them. A cache pre-warmed from events would need seeding through the API instead.
 * The columns are the catalog migration's (apps/catalog/src/database/migrations); the catalog's
 * own CHECK constraints still apply.
 */
export async function seedCatalog(databaseUrl: string, size: number): Promise<CatalogFixture> {
  const next = random(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const rows = Array.from({ length: size }, (_, i) => {
    const name = `${pick(ADJECTIVES)} ${pick(NOUNS)} ${i}`;
    return {
      sku: `BENCH-${String(i).padStart(7, '0')}`,
      name,
      description: `A ${name} for the benchmark catalog: ${pick(ADJECTIVES)}, ${pick(ADJECTIVES)} and dependable.`,
      priceCents: 100 + Math.floor(next() * 99_900),
      category: CATEGORIES[i % CATEGORIES.length],
    };
  });
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: inserted } = await client.query<{ id: string }>(
      `INSERT INTO "products" ("sku", "name", "description", "price_cents", "currency", "stock", "category")
       SELECT s.sku, s.name, s.description, s.price_cents, 'USD', $6, s.category
       FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[])
            AS s(sku, name, description, price_cents, category)
       RETURNING "id"`,
      [
        rows.map((row) => row.sku),
        rows.map((row) => row.name),
        rows.map((row) => row.description),
        rows.map((row) => row.priceCents),
        rows.map((row) => row.category),
        SEEDED_STOCK,
      ],
    );
    // Fresh statistics, so the planner picks the indexes from the first query on.
    await client.query('ANALYZE "products"');
    return {
      productIds: inserted.map((row) => row.id),
      categories: CATEGORIES,
      searchWords: NOUNS,
      initialStock: BigInt(SEEDED_STOCK) * BigInt(inserted.length),
    };
  } finally {
    await client.end();
  }
}

/** With --url: the bench doesn't write into someone's catalog; it reads what is live there. */
export async function readCatalog(databaseUrl: string, size: number): Promise<CatalogFixture> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; name: string; category: string | null; stock: number }>(
      `SELECT "id", "name", "category", "stock" FROM "products"
       WHERE "archived_at" IS NULL AND "stock" > 0 ORDER BY "id" LIMIT $1`,
      [size],
    );
    const words = [...new Set(rows.flatMap((row) => row.name.toLowerCase().split(/\W+/)).filter((w) => w.length >= 3))];
    return {
      productIds: rows.map((row) => row.id),
      categories: [...new Set(rows.map((row) => row.category).filter((c): c is string => c !== null))],
      searchWords: words.slice(0, 50),
      initialStock: rows.reduce((sum, row) => sum + BigInt(row.stock), 0n),
    };
  } finally {
    await client.end();
  }
}

/** Σ stock over the fixture's products now. */
export async function currentStock(databaseUrl: string, productIds: string[]): Promise<bigint> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: string | null }>(
      `SELECT sum("stock")::text AS "total" FROM "products" WHERE "id" = ANY($1::uuid[])`,
      [productIds],
    );
    return BigInt(rows[0].total ?? '0');
  } finally {
    await client.end();
  }
}
