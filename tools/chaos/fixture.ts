import { seedCatalog } from '../bench/seed-catalog';
import { login, seedUsers } from '../bench/seed-users';
import { query } from './chaos-databases';

export interface ChaosUser {
  email: string;
  password: string;
  accessToken: string;
  /** When the token was issued: tokens live 15 minutes, a full run longer. */
  tokenAt: number;
}

/** What the load runs against, and the stock every product started with (the conservation reference). */
export interface ChaosFixture {
  productIds: string[];
  /** Few units each: orders race for them, run them out, and cancellations give units back. */
  hotProductIds: string[];
  categories: string[];
  initialStock: Map<string, number>;
  users: ChaosUser[];
}

const CATALOG_SIZE = 200;
const HOT_PRODUCTS = 12;
const HOT_STOCK = 40;
const TOKEN_RENEW_AFTER_MS = 8 * 60_000;

/**
 * Products straight into the catalog database (the bench's seed: 200 products, 1,000,000 units
 * each), a dozen of them cut down to 40 units so that stock runs out under load; customers through
 * the API (the bench's seed), so their tokens are the auth service's own.
 */
export async function prepareFixture(
  gatewayUrl: string,
  catalogDatabaseUrl: string,
  users: number,
): Promise<ChaosFixture> {
  const catalog = await seedCatalog(catalogDatabaseUrl, CATALOG_SIZE);
  const hotProductIds = catalog.productIds.slice(0, HOT_PRODUCTS);
  await query(catalogDatabaseUrl, `UPDATE "products" SET "stock" = $1 WHERE "id" = ANY($2::uuid[])`, [
    HOT_STOCK,
    hotProductIds,
  ]);
  const rows = await query<{ id: string; stock: number }>(catalogDatabaseUrl, `SELECT "id", "stock" FROM "products"`);
  const seeded = await seedUsers(gatewayUrl, users);
  if (!seeded.available) {
    throw new Error(`Cannot register customers: ${seeded.reason}`);
  }
  const now = Date.now();
  return {
    productIds: catalog.productIds,
    hotProductIds,
    categories: catalog.categories,
    initialStock: new Map(rows.map((row) => [row.id, row.stock])),
    users: seeded.users.map((user) => ({ ...user, tokenAt: now })),
  };
}

/** Logs in again every customer whose token is getting old, so no request of a fault meets an expired one. */
export async function renewOldTokens(gatewayUrl: string, fixture: ChaosFixture): Promise<void> {
  for (const user of fixture.users.filter((u) => Date.now() - u.tokenAt > TOKEN_RENEW_AFTER_MS)) {
    user.accessToken = await login(gatewayUrl, user.email, user.password);
    user.tokenAt = Date.now();
  }
}
