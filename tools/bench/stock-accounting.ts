import type { Schemas } from '@app/api-client';
import { benchApi, describeAnswer } from './http-json';
import { OrderLedger } from './order-ledger';
import { CatalogFixture, currentStock } from './seed-catalog';
import { BenchUser } from './seed-users';

export interface StockAccount {
  /** Σ stock of the bench's products before any order (catalog database). */
  initial: string;
  /** Σ stock now (catalog database). */
  current: string;
  /** initial − current: units the catalog says left stock. */
  taken: string;
  /**
   * Units of the orders the bench saw confirmed (201s), warm-ups and probes included. At most
   * `taken`: autocannon drops the requests in flight when a run's time is up, and the server may
   * still confirm them, so this is a cross-check, not the reference.
   */
  benchConfirmedUnits: number;
  benchConfirmedOrders: number;
  /** Units of the confirmed orders the orders service holds for the bench users, or why unknown. */
  ordersService: { units: number; orders: number } | { unavailable: string };
  /** taken = units of the confirmed orders the orders service holds; undefined if it can't be read. */
  exact: boolean | undefined;
}

const SETTLE_POLL_MS = 300;
const SETTLE_BOUND_MS = 10_000;

/** Requests cut off at the end of a run may still commit: wait until the stock stops moving. */
async function settledStock(catalogDatabaseUrl: string, productIds: string[]): Promise<bigint> {
  const deadline = Date.now() + SETTLE_BOUND_MS;
  let previous = await currentStock(catalogDatabaseUrl, productIds);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    const now = await currentStock(catalogDatabaseUrl, productIds);
    if (now === previous || Date.now() > deadline) {
      return now;
    }
    previous = now;
  }
}

/**
 * What the orders service recorded, read back through its public route (GET /v1/orders, each
 * user's own, every page). Through the API rather than SQL on the orders database because that
 * schema is still being written (issue 7, phase 1): the contract is stable, table names are not.
 * In the bench's own stack every order belongs to a bench user, so this is every order.
 */
async function confirmedInOrdersService(
  gatewayUrl: string,
  users: BenchUser[],
): Promise<{ units: number; orders: number } | { unavailable: string }> {
  let units = 0;
  let orders = 0;
  const api = benchApi(gatewayUrl);
  for (const user of users) {
    let cursor: string | null = null;
    do {
      const answer: { data?: Schemas['OrderPage']; error?: unknown; response: Response } = await api.GET('/v1/orders', {
        params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
        headers: { authorization: `Bearer ${user.accessToken}` },
      });
      const { data: page, error, response } = answer;
      if (!page) {
        return { unavailable: `GET /v1/orders answers ${describeAnswer({ status: response.status, body: error })}` };
      }
      for (const order of page.items.filter((item) => item.status === 'confirmed')) {
        orders++;
        units += order.items.reduce((sum, line) => sum + line.quantity, 0);
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return { units, orders };
}

/**
 * Stock accounted exactly: the units that left the catalog's stock (catalog database) equal the
 * units of the confirmed orders the orders service holds. A difference means lost or doubled
 * reservations, or orders confirmed without stock. The bench's own count of 201s is printed
 * beside them (see `benchConfirmedUnits` for why it may fall short by the cut-off requests).
 */
export async function accountStock(
  catalogDatabaseUrl: string,
  catalog: CatalogFixture,
  ledger: OrderLedger,
  gatewayUrl: string,
  users: BenchUser[],
): Promise<StockAccount> {
  const current = await settledStock(catalogDatabaseUrl, catalog.productIds);
  const taken = catalog.initialStock - current;
  const ordersService = await confirmedInOrdersService(gatewayUrl, users);
  return {
    initial: catalog.initialStock.toString(),
    current: current.toString(),
    taken: taken.toString(),
    benchConfirmedUnits: ledger.units,
    benchConfirmedOrders: ledger.orders,
    ordersService,
    exact: 'unavailable' in ordersService ? undefined : BigInt(ordersService.units) === taken,
  };
}
