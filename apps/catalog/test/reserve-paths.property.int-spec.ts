import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common/errors';
import { OutboxRelay } from '@app/common/outbox';
import { ReservationResponse } from '@app/contracts';
import { CatalogStack, startCatalogStack, uniqueSku } from '@test/support/catalog-stack';
import { assertProperty } from '@test/support/property-runs';
import { ProductsService } from '../src/products/products.service';
import { ReservationRow, ReservationsRepository } from '../src/stock/reservations.repository';
import { StockRepository } from '../src/stock/stock.repository';
import { StockService } from '../src/stock/stock.service';

/** Catalog's stock service with the one-statement reserve declined: every reserve is judged in a transaction. */
class TransactionalOnlyReservations extends ReservationsRepository {
  override reserveAtOnce(): Promise<ReservationRow | undefined> {
    return Promise.resolve(undefined);
  }
}

interface ReserveRequest {
  orderId: string;
  lines: Array<{ productId: string; quantity: number }>;
}

interface ProductSpec {
  stock: number;
  archived: boolean;
  currency: 'EUR' | 'USD';
  priceCents: number;
}
/** A line names a product of the scenario by index, or a product nobody created (-1). */
interface LineSpec {
  product: number;
  quantity: number;
}
type OrderSpec = { kind: 'new'; lines: LineSpec[] } | { kind: 'repeat'; of: number; sameLines: boolean };

const productSpecs = fc.record({
  stock: fc.integer({ min: 0, max: 12 }),
  archived: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  currency: fc.constantFrom<'EUR' | 'USD'>('EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'USD'),
  priceCents: fc.integer({ min: 1, max: 10_000 }),
});
const lineSpecs = (products: number) =>
  fc.record({
    product: fc.oneof({ weight: 9, arbitrary: fc.nat(products - 1) }, { weight: 1, arbitrary: fc.constant(-1) }),
    // Mostly a few units; sometimes more than any stock holds.
    quantity: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) }, fc.integer({ min: 1, max: 15 })),
  });
const orderSpecs = (products: number): fc.Arbitrary<OrderSpec> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant('new' as const),
        lines: fc.array(lineSpecs(products), { minLength: 1, maxLength: 4 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('repeat' as const), of: fc.nat(), sameLines: fc.boolean() }),
    },
  );
const scenarios = fc.array(productSpecs, { minLength: 1, maxLength: 4 }).chain((products) =>
  fc.record({
    products: fc.constant(products),
    orders: fc.array(orderSpecs(products.length), { minLength: 1, maxLength: 8 }),
  }),
);

/**
 * One side of the comparison: its own products (same specs, other ids) and order ids, and a way
 * to name every id of the side by its place in the scenario, so the two sides' answers compare.
 */
interface Side {
  reserve(request: ReserveRequest): Promise<ReservationResponse>;
  productIds: string[];
  requests: ReserveRequest[];
  names: Map<string, string>;
  /** Whether this side's refusals are counted (the one-statement side's). */
  refusals: boolean;
}

describe('catalog reserve: the one-statement and the transactional path (property)', () => {
  let stack: CatalogStack;
  let dataSource: DataSource;
  let products: ProductsService;
  let oneStatementFirst: StockService;
  let transactionalOnly: StockService;
  let decidedByOneStatement = 0;
  let refused = 0;

  beforeAll(async () => {
    stack = await startCatalogStack('reserve-paths');
    const app = stack.replicas[0].app;
    dataSource = app.get(DataSource);
    products = app.get(ProductsService);
    oneStatementFirst = app.get(StockService);
    transactionalOnly = new StockService(
      dataSource,
      new TransactionalOnlyReservations(dataSource),
      app.get(StockRepository),
      app.get(OutboxRelay),
    );
    const reservations = app.get(ReservationsRepository);
    const reserveAtOnce = reservations.reserveAtOnce.bind(reservations);
    jest.spyOn(reservations, 'reserveAtOnce').mockImplementation(async (...args) => {
      const row = await reserveAtOnce(...args);
      decidedByOneStatement += row ? 1 : 0;
      return row;
    });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  async function createSide(label: string, specs: ProductSpec[], service: StockService): Promise<Side> {
    const names = new Map<string, string>();
    const productIds: string[] = [];
    for (const [index, spec] of specs.entries()) {
      const { stock, currency, priceCents } = spec;
      const { id, sku } = await products.create({
        sku: uniqueSku(label),
        name: `P${index}`,
        stock,
        currency,
        priceCents,
      });
      names.set(sku, `P${index}-sku`);
      if (spec.archived) {
        await products.archive(id);
      }
      productIds.push(id);
      names.set(id, `P${index}`);
    }
    return {
      reserve: (request) => service.reserve(request),
      productIds,
      requests: [],
      names,
      refusals: service === oneStatementFirst,
    };
  }

  /** A product nobody created: the same id on both sides. */
  const unknownProduct = randomUUID();

  function linesOf(side: Side, lines: LineSpec[]) {
    return lines.map(({ product, quantity }) => ({
      productId: product < 0 ? unknownProduct : side.productIds[product],
      quantity,
    }));
  }

  /** Whatever the side answered, with its ids replaced by their names and lists in name order. */
  function named(side: Side, value: unknown): unknown {
    const text = JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item !== 'string' || side.names.has(item)) {
        return typeof item === 'string' ? side.names.get(item) : item;
      }
      return item.replace(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
        (id) => side.names.get(id.toLowerCase()) ?? (id === unknownProduct ? 'unknown' : id),
      );
    });
    return JSON.parse(text, (_key, item: unknown) =>
      Array.isArray(item) ? [...item].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : item,
    );
  }

  /** Places the scenario's order `index` on one side: its stock, events and answer, named. */
  async function place(side: Side, order: OrderSpec, index: number): Promise<unknown> {
    let request: ReserveRequest;
    if (order.kind === 'repeat' && index > 0) {
      // The same order id again: with the same lines (a retry), or with one more (a conflict).
      const earlier = side.requests[order.of % index];
      const lines = order.sameLines ? earlier.lines : [...earlier.lines, { productId: unknownProduct, quantity: 1 }];
      request = { orderId: earlier.orderId, lines };
    } else {
      const lines = order.kind === 'new' ? order.lines : [{ product: 0, quantity: 1 }];
      request = { orderId: randomUUID(), lines: linesOf(side, lines) };
      side.names.set(request.orderId, `O${index}`);
    }
    side.requests.push(request);
    const answer = await side.reserve(request).then(
      // Timestamps are the only fields allowed to differ.
      ({ createdAt: _created, updatedAt: _updated, ...reservation }) => ({ reserved: reservation }),
      (error: unknown) => {
        if (!(error instanceof DomainError)) {
          throw error;
        }
        refused += side.refusals ? 1 : 0;
        return { refused: { code: error.code, details: error.details, errors: error.errors } };
      },
    );
    const stock = await dataSource.query<Array<{ id: string; stock: number }>>(
      `SELECT "id", "stock" FROM "products" WHERE "id" = ANY($1::uuid[])`,
      [side.productIds],
    );
    const events = await dataSource.query<Array<{ subject: string; data: unknown }>>(
      `SELECT "subject", "payload"->'data' AS "data" FROM "outbox" WHERE "payload"->'data'->>'orderId' = $1`,
      [request.orderId],
    );
    return named(side, { answer, stock, events });
  }

  it('makes the same decisions, leaves the same stock and records the same events', async () => {
    await assertProperty(
      fc.asyncProperty(scenarios, async ({ products: specs, orders }) => {
        const atOnce = await createSide('A', specs, oneStatementFirst);
        const inTransaction = await createSide('T', specs, transactionalOnly);
        for (let index = 0; index < orders.length; index++) {
          const viaOneStatement = await place(atOnce, orders[index], index);
          const viaTransaction = await place(inTransaction, orders[index], index);
          expect(viaOneStatement).toEqual(viaTransaction);
        }
      }),
      30,
    );
    // Not vacuous: the scenarios reached both outcomes, and the one-statement path decided some.
    expect(decidedByOneStatement).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  }, 180_000);
});
