import { DataSource } from 'typeorm';
import { validateEnv } from '@app/common/config';
import { typeormOptions } from '@app/common/database';
import { OutboxRelay } from '@app/common/outbox';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { CatalogEnv } from '../src/config/catalog.env';
import { catalogSchema } from '../src/database/catalog.schema';
import { canonicalLines } from '../src/stock/reservation-rules';
import { ReservationsRepository } from '../src/stock/reservations.repository';
import { StockRepository } from '../src/stock/stock.repository';
import { StockService } from '../src/stock/stock.service';

const P1 = '10000000-0000-4000-8000-000000000001';
const P2 = '20000000-0000-4000-8000-000000000002';
const EUR = '30000000-0000-4000-8000-000000000003';
const ARCHIVED = '40000000-0000-4000-8000-000000000004';
const MISSING = '50000000-0000-4000-8000-000000000005';
const ORDER = '90000000-0000-4000-8000-000000000009';

const SEED = [
  { id: P1, sku: 'P1', currency: 'USD', stock: 5, archived: false },
  { id: P2, sku: 'P2', currency: 'USD', stock: 3, archived: false },
  { id: EUR, sku: 'EUR', currency: 'EUR', stock: 10, archived: false },
  { id: ARCHIVED, sku: 'ARCHIVED', currency: 'USD', stock: 10, archived: true },
];

type Lines = Array<{ productId: string; quantity: number }>;

/** What a path decided and left behind, with the event ids and times that differ by nature masked. */
interface Outcome {
  decision: 'reserved' | 'refused';
  reservation: { lines: unknown; currency: string | null } | undefined;
  stock: Record<string, number>;
  events: unknown[];
}

/**
 * catalog has two paths that decide a reserve: the one-statement reserve (`reserveAtOnce`, SQL
 * rendering of the rules) and the transactional one (`reserveInTransaction`, `rejectionOf`). The
 * one statement only serves what it can serve and leaves the rest (and the refusal's code) to the
 * transactional path, so "the same decision" is: both reserve, or neither does; and for a
 * reservation, the same priced lines, stock left and stock-changed events.
 */
describe('the one-statement and the transactional reserve decide alike', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: StockService;

  beforeAll(async () => {
    database = await createTestDatabase('reservepaths');
    dataSource = new DataSource(
      typeormOptions(validateEnv(CatalogEnv, { DATABASE_URL: database.url, DB_POOL_SIZE: '2' }), catalogSchema),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    const relay = { nudge: () => undefined } as unknown as OutboxRelay;
    sut = new StockService(dataSource, new ReservationsRepository(dataSource), new StockRepository(), relay);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const reset = async () => {
    await dataSource.query(`TRUNCATE "reservations", "outbox", "products"`);
    for (const product of SEED) {
      await dataSource.query(
        `INSERT INTO "products" ("id", "sku", "name", "price_cents", "currency", "stock", "archived_at")
         VALUES ($1, $2, $3, 150, $4, $5, CASE WHEN $6 THEN now() END)`,
        [product.id, product.sku, `Product ${product.sku}`, product.currency, product.stock, product.archived],
      );
    }
  };

  const outcomeAfter = async (reserved: boolean): Promise<Outcome> => {
    const [reservation] = await dataSource.query<Array<{ lines: unknown; currency: string | null }>>(
      `SELECT "lines", "currency" FROM "reservations" WHERE "order_id" = $1 AND "status" = 'reserved'`,
      [ORDER],
    );
    const stocks = await dataSource.query<Array<{ id: string; stock: number }>>(`SELECT "id", "stock" FROM "products"`);
    const events = await dataSource.query<
      Array<{ id: string; subject: string; occurred_at: Date; payload: { id: string; occurredAt: string } }>
    >(`SELECT "id", "subject", "occurred_at", "payload" FROM "outbox" ORDER BY "payload" -> 'data' ->> 'productId'`);
    return {
      decision: reserved ? 'reserved' : 'refused',
      reservation,
      stock: Object.fromEntries(stocks.map((row) => [row.id, row.stock])),
      events: events.map((row) => {
        // The columns the relay reads must agree with the envelope it publishes.
        expect(row.payload.id).toBe(row.id);
        expect(new Date(row.payload.occurredAt)).toEqual(row.occurred_at);
        expect(row.payload.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        return { subject: row.subject, payload: { ...row.payload, id: 'event-id', occurredAt: 'occurred-at' } };
      }),
    };
  };

  const throughOneStatement = async (lines: Lines): Promise<Outcome> => {
    await reset();
    return outcomeAfter((await sut.reserveAtOnce(ORDER, canonicalLines(lines))) !== undefined);
  };

  const throughTransaction = async (lines: Lines): Promise<{ outcome: Outcome; code?: string }> => {
    await reset();
    const row = await sut.reserveInTransaction(ORDER, canonicalLines(lines));
    return { outcome: await outcomeAfter(row?.status === 'reserved'), code: row?.rejection?.code };
  };

  // The last column: 'reserved', or the code of the refusal the transactional path records.
  it.each<[string, Lines, string]>([
    ['exact stock', [{ productId: P1, quantity: 5 }], 'reserved'],
    ['insufficient stock', [{ productId: P1, quantity: 6 }], 'insufficient-stock'],
    [
      'a missing product',
      [
        { productId: MISSING, quantity: 1 },
        { productId: P1, quantity: 1 },
      ],
      'unknown-product',
    ],
    ['an archived product', [{ productId: ARCHIVED, quantity: 1 }], 'unknown-product'],
    [
      'mixed lines, one short',
      [
        { productId: P1, quantity: 2 },
        { productId: P2, quantity: 4 },
      ],
      'insufficient-stock',
    ],
    [
      'mixed lines, all served',
      [
        { productId: P2, quantity: 3 },
        { productId: P1, quantity: 2 },
      ],
      'reserved',
    ],
    [
      'mixed currencies',
      [
        { productId: P1, quantity: 1 },
        { productId: EUR, quantity: 1 },
      ],
      'mixed-currency',
    ],
  ])('%s: the same decision, stock and events', async (_scenario, lines, expected) => {
    const atOnce = await throughOneStatement(lines);
    const { outcome: transactional, code } = await throughTransaction(lines);

    expect(atOnce).toEqual(transactional);
    expect(code ?? 'reserved').toBe(expected);
    if (expected === 'reserved') {
      const untouched = SEED.filter((product) => !lines.some((line) => line.productId === product.id));
      expect(atOnce.stock).toEqual({
        ...Object.fromEntries(untouched.map((product) => [product.id, product.stock])),
        ...Object.fromEntries(
          lines.map((line) => [line.productId, SEED.find((p) => p.id === line.productId)!.stock - line.quantity]),
        ),
      });
      expect(atOnce.events).toHaveLength(lines.length);
    } else {
      expect(atOnce.stock).toEqual(Object.fromEntries(SEED.map((product) => [product.id, product.stock])));
      expect(atOnce.events).toEqual([]);
    }
  });
});
