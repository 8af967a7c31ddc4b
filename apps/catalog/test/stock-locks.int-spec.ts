import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common/errors';
import { CatalogStack, startCatalogStack, uniqueSku } from '@test/support/catalog-stack';
import { expectEventually } from '@test/support/expect-eventually';
import { interceptPoolQueries } from '@test/support/pool-queries';
import { queryDatabase } from '@test/support/test-database';
import { StockRepository } from '../src/stock/stock.repository';

const CHECK_VIOLATION = '23514';

/**
 * The protections against oversell, each made to matter on its own (issue 15): the row locks of
 * both reserve paths, the one statement's judgement and the CHECK constraint behind them. Races
 * are staged, not hoped for: a test transaction holds a row lock, the reserve is seen waiting on
 * it in pg_stat_activity, and only then does the test commit.
 */
describe('catalog stock: the locks and checks that prevent oversell', () => {
  let sut: CatalogStack;
  let holder: Client;

  const reserve = (lines: Array<{ productId: string; quantity: number }>) =>
    sut.client.reserveStock({ orderId: randomUUID(), lines });

  /** Settles to 'reserved' or the refusal's code. */
  const outcomeOf = (promise: Promise<unknown>): Promise<string> =>
    promise.then(
      () => 'reserved',
      (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
    );

  /** Waits until `count` of the catalog's sessions wait on a row lock (our holder's). */
  const waitersOnLocks = (count: number) =>
    expectEventually(async () => {
      const [row] = await queryDatabase<{ n: string }>(
        sut.database.url,
        `SELECT count(*) AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      expect(Number(row.n)).toBeGreaterThanOrEqual(count);
    });

  /** A product inserted by the holder's open transaction: invisible to statements that start before it commits. */
  const insertHidden = async (stock: number): Promise<string> => {
    const id = randomUUID();
    await holder.query(
      `INSERT INTO products (id, sku, name, price_cents, currency, stock) VALUES ($1, $2, 'Hidden', 500, 'USD', $3)`,
      [id, uniqueSku(), stock],
    );
    return id;
  };

  beforeAll(async () => {
    sut = await startCatalogStack('stocklocks', { replicas: 1 });
  });

  beforeEach(async () => {
    holder = new Client({ connectionString: sut.database.url });
    await holder.connect();
  });

  afterEach(async () => {
    await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end();
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await sut?.dispose();
  });

  it('keeps the products_stock_not_negative CHECK constraint, and it refuses a negative stock', async () => {
    const product = await sut.createProduct({ stock: 1 });

    const constraints = await queryDatabase<{ definition: string }>(
      sut.database.url,
      `SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE conrelid = 'products'::regclass AND conname = 'products_stock_not_negative'`,
    );
    const refused = await queryDatabase(sut.database.url, 'UPDATE products SET stock = -1 WHERE id = $1', [
      product.id,
    ]).catch((error: { code?: string }) => error.code);

    expect(constraints).toEqual([{ definition: 'CHECK ((stock >= 0))' }]);
    expect(refused).toBe(CHECK_VIOLATION);
    expect(await sut.stockOf(product.id)).toBe(1);
  });

  it('judges a short order in the statement itself: the CHECK constraint never has to refuse it', async () => {
    const product = await sut.createProduct({ stock: 2 });
    const dataSource = sut.replicas[0].app.get(DataSource);
    const failures: string[] = [];
    const recordFailure = (error: unknown): never => {
      const { driverError } = error as { driverError?: { code?: string } };
      failures.push(String(driverError?.code ?? (error as { code?: string }).code ?? error));
      throw error;
    };
    // TypeORM's queries, and the prepared statements that run straight on its pg pool (PreparedQuery).
    const query = dataSource.query.bind(dataSource);
    jest
      .spyOn(dataSource, 'query')
      .mockImplementation((...args: Parameters<DataSource['query']>) => query(...args).catch(recordFailure));
    interceptPoolQueries(dataSource, (_args, proceed) => proceed().catch(recordFailure));

    const outcome = await outcomeOf(reserve([{ productId: product.id, quantity: 3 }]));

    expect(outcome).toBe('insufficient-stock');
    expect(failures).toEqual([]);
    expect(await sut.stockOf(product.id)).toBe(2);
  });

  it('prices and judges at the latest committed state when the reserve waited for a row lock', async () => {
    const product = await sut.createProduct({ stock: 5, priceCents: 1250 });
    await holder.query('BEGIN');
    await holder.query('UPDATE products SET price_cents = 777 WHERE id = $1', [product.id]);

    const reserving = sut.client.reserveStock({
      orderId: randomUUID(),
      lines: [{ productId: product.id, quantity: 2 }],
    });
    await waitersOnLocks(1);
    await holder.query('COMMIT');
    const reservation = await reserving;

    expect(reservation.lines).toEqual([expect.objectContaining({ unitPriceCents: 777, quantity: 2 })]);
    expect(reservation.totalCents).toBe(2 * 777);
    expect(await sut.stockOf(product.id)).toBe(3);
  });

  it('reserves through the transactional path when the one statement could not see a product yet', async () => {
    const visible = await sut.createProduct({ stock: 10 });
    const take = jest.spyOn(sut.replicas[0].app.get(StockRepository), 'take');
    await holder.query('BEGIN');
    const hidden = await insertHidden(5);
    await holder.query('UPDATE products SET updated_at = now() WHERE id = $1', [visible.id]);

    const reserving = outcomeOf(
      reserve([
        { productId: hidden, quantity: 2 },
        { productId: visible.id, quantity: 1 },
      ]),
    );
    await waitersOnLocks(1);
    await holder.query('COMMIT');

    expect(await reserving).toBe('reserved');
    expect(take).toHaveBeenCalledTimes(1); // the transactional path's success branch ran
    expect(await sut.stockOf(hidden)).toBe(3);
    expect(await sut.stockOf(visible.id)).toBe(9);
  });

  it('sells the last unit once when eight orders race for it on the transactional path', async () => {
    const visible = await sut.createProduct({ stock: 100 });
    await holder.query('BEGIN');
    const hidden = await insertHidden(1);
    await holder.query('UPDATE products SET updated_at = now() WHERE id = $1', [visible.id]);

    const racing = Array.from({ length: 8 }, () =>
      outcomeOf(
        reserve([
          { productId: hidden, quantity: 1 },
          { productId: visible.id, quantity: 1 },
        ]),
      ),
    );
    await waitersOnLocks(8);
    await holder.query('COMMIT');
    const outcomes = await Promise.all(racing);

    // Without the row locks of lockLive, the losers judge a stock that is gone and fail as `internal`.
    expect(outcomes.sort()).toEqual([...Array(7).fill('insufficient-stock'), 'reserved']);
    expect(await sut.stockOf(hidden)).toBe(0);
    expect(await sut.stockOf(visible.id)).toBe(99);
  });
});
