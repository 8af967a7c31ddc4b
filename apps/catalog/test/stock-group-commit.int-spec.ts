import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validateEnv } from '@app/common/config';
import { typeormOptions } from '@app/common/database';
import { OutboxRelay } from '@app/common/outbox';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { CatalogEnv } from '../src/config/catalog.env';
import { catalogSchema } from '../src/database/catalog.schema';
import { ReservationsRepository } from '../src/stock/reservations.repository';
import { StockRepository } from '../src/stock/stock.repository';
import { StockService } from '../src/stock/stock.service';

type Lines = Array<{ productId: string; quantity: number }>;

/**
 * Reserves arriving together are written as one batch (one transaction, one commit): each member
 * must be answered exactly as the plain path would answer it, and two batches (two replicas, or
 * two batches in flight) over the same products must neither oversell nor deadlock.
 */
describe('group commit of reserves', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: StockService;
  let batchFailures: number;

  beforeAll(async () => {
    database = await createTestDatabase('reservebatch');
    const env = validateEnv(CatalogEnv, {
      DATABASE_URL: database.url,
      DB_POOL_SIZE: '6',
      GROUP_COMMIT_MAX_BATCH: '4',
      GROUP_COMMIT_MAX_IN_FLIGHT: '2',
    });
    dataSource = new DataSource(typeormOptions(env, catalogSchema));
    await dataSource.initialize();
    await dataSource.runMigrations();
    const relay = { nudge: () => undefined } as unknown as OutboxRelay;
    sut = new StockService(dataSource, new ReservationsRepository(dataSource), new StockRepository(), relay, env);
  });

  beforeEach(() => {
    batchFailures = 0;
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      if (JSON.stringify(message).includes('"size"')) {
        batchFailures++;
      }
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const products = async (stocks: number[]): Promise<string[]> => {
    const ids = stocks.map(() => randomUUID()).sort();
    for (const [i, id] of ids.entries()) {
      await dataSource.query(
        `INSERT INTO "products" ("id", "sku", "name", "price_cents", "currency", "stock")
         VALUES ($1, $2, 'Batch product', 100, 'USD', $3)`,
        [id, `B-${id}`, stocks[i]],
      );
    }
    return ids;
  };

  const stockOf = async (ids: string[]): Promise<number[]> => {
    const rows = await dataSource.query<Array<{ id: string; stock: number }>>(
      `SELECT "id", "stock" FROM "products" WHERE "id" = ANY($1) ORDER BY "id"`,
      [ids],
    );
    return rows.map((row) => row.stock);
  };

  const reserve = (lines: Lines) => sut.reserve({ orderId: randomUUID(), lines });

  it('commits the reserves of one batch together and answers each its own reservation', async () => {
    const ids = await products([10, 10, 10]);
    const orderIds = ids.map(() => randomUUID());

    const answers = await Promise.all(
      orderIds.map((orderId, i) => sut.reserve({ orderId, lines: [{ productId: ids[i], quantity: i + 1 }] })),
    );

    expect(answers.map((answer) => [answer.orderId, answer.status, answer.lines[0].quantity])).toEqual(
      orderIds.map((orderId, i) => [orderId, 'reserved', i + 1]),
    );
    expect(await stockOf(ids)).toEqual([9, 8, 7]);
    const written = await dataSource.query<unknown[]>(
      `SELECT DISTINCT xmin::text FROM "reservations" WHERE "order_id" = ANY($1)`,
      [orderIds],
    );
    expect(written).toHaveLength(1); // one transaction
    expect(batchFailures).toBe(0);
  });

  it('reserves a product several members want on the plain path beside the batch (a hot spot)', async () => {
    const [hot, other] = await products([10, 10]);
    const orderIds = [randomUUID(), randomUUID(), randomUUID()];
    const lines = [[hot], [hot], [other]].map(([productId]) => [{ productId, quantity: 1 }]);

    const answers = await Promise.all(orderIds.map((orderId, i) => sut.reserve({ orderId, lines: lines[i] })));

    expect(answers.map((answer) => answer.status)).toEqual(['reserved', 'reserved', 'reserved']);
    expect([await stockOf([hot]), await stockOf([other])]).toEqual([[8], [9]]);
    const tx = await dataSource.query<Array<{ order_id: string; tx: string }>>(
      `SELECT "order_id", xmin::text AS "tx" FROM "reservations" WHERE "order_id" = ANY($1)`,
      [orderIds],
    );
    const txOf = new Map(tx.map((row) => [row.order_id, row.tx]));
    expect(txOf.get(orderIds[0])).toBe(txOf.get(orderIds[2])); // batched together
    expect(txOf.get(orderIds[1])).not.toBe(txOf.get(orderIds[0])); // its own statement
  });

  it('answers a refused member of a batch its refusal, and the others their reservations', async () => {
    const [a] = await products([3]);

    const answers = await Promise.allSettled([
      reserve([{ productId: a, quantity: 1 }]),
      reserve([{ productId: a, quantity: 5 }]),
      reserve([{ productId: randomUUID(), quantity: 1 }]),
      reserve([{ productId: a, quantity: 2 }]),
    ]);

    expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value.status : answer.reason.code))).toEqual(
      ['reserved', 'insufficient-stock', 'unknown-product', 'reserved'],
    );
    expect(await stockOf([a])).toEqual([0]);
  });

  it('answers a repeated order id in a batch from its record, taking stock once', async () => {
    const [a] = await products([5]);
    const orderId = randomUUID();
    const lines = [{ productId: a, quantity: 2 }];

    const answers = await Promise.all([sut.reserve({ orderId, lines }), sut.reserve({ orderId, lines })]);

    expect(answers.map((answer) => answer.status)).toEqual(['reserved', 'reserved']);
    expect(await stockOf([a])).toEqual([3]);
  });

  it('never oversells nor deadlocks when batches lock overlapping products listed in opposite orders', async () => {
    const ids = await products([1000, 1000, 1000, 1000]);
    // Two batches at once (at most 4 members each, two in flight): the first reserves the
    // products one by one in id order, the second in the opposite order. Locking member by
    // member, each would hold a product the other waits for.
    const order = [...ids, ...[...ids].reverse()];
    const rounds = 25;

    for (let round = 0; round < rounds; round++) {
      const answers = await Promise.allSettled(order.map((productId) => reserve([{ productId, quantity: 1 }])));
      expect(answers.filter((answer) => answer.status === 'rejected')).toEqual([]);
    }

    const taken = rounds * order.length;
    const [{ reserved }] = await dataSource.query<Array<{ reserved: number }>>(
      `SELECT coalesce(sum(("line"->>'quantity')::integer), 0)::integer AS "reserved"
       FROM "reservations" CROSS JOIN LATERAL jsonb_array_elements("lines") AS "line"
       WHERE "status" = 'reserved' AND "line"->>'productId' = ANY($1)`,
      [ids],
    );
    expect(reserved).toBe(taken);
    expect((await stockOf(ids)).reduce((sum, stock) => sum + stock, 0)).toBe(4 * 1000 - taken);
    expect(batchFailures).toBe(0); // no batch was rolled back (a deadlock would have been one)
  });

  it('falls back to one by one when a member fails the batch: it fails alone, the others are reserved', async () => {
    const [a] = await products([10]);
    const good = [{ productId: a, quantity: 1 }];

    const answers = await Promise.allSettled([
      reserve(good),
      reserve([{ productId: 'not-a-uuid', quantity: 1 }]), // validated away at the edge; here it breaks the statement
      reserve(good),
    ]);

    expect(answers.map((answer) => answer.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((answers[1] as PromiseRejectedResult).reason)).toMatch(/invalid input syntax for type uuid/);
    expect(batchFailures).toBe(1);
    expect(await stockOf([a])).toEqual([8]);
  });
});
