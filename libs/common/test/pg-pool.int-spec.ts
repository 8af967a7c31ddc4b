import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '@app/common/database';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';

/**
 * pgPoolOf reads `master`, the node-postgres pool TypeORM's PostgresDriver keeps (public, typed
 * `any`, undocumented). Hot statements run on it; this proves, against a real data source, that it
 * is the very pool TypeORM's own queries take connections from, so a TypeORM upgrade that renames
 * or replaces it fails here instead of splitting the service's connection budget in two.
 */
describe(pgPoolOf.name, () => {
  const POOL_SIZE = 2;
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('pgpool');
    dataSource = await new DataSource({ type: 'postgres', url: database.url, extra: { max: POOL_SIZE } }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('is the pool TypeORM queries through: with its connections held, a TypeORM query waits for one', async () => {
    const sut = pgPoolOf(dataSource);
    const held: PoolClient[] = [];
    for (let i = 0; i < POOL_SIZE; i++) {
      held.push(await sut.connect());
    }
    let answered = false;
    const typeormQuery = dataSource.query('SELECT 1 AS one').then((rows: unknown) => {
      answered = true;
      return rows;
    });
    try {
      // TypeORM's query is queued on this very pool, not answered from one of its own.
      await new Promise((resolve) => setImmediate(resolve));
      expect(sut.waitingCount).toBe(1);
      expect(answered).toBe(false);
    } finally {
      held.forEach((client) => client.release());
    }
    expect(await typeormQuery).toEqual([{ one: 1 }]);
    expect(sut.options.max).toBe(POOL_SIZE);
  });

  it('refuses a data source that is not initialized', () => {
    expect(() => pgPoolOf(new DataSource({ type: 'postgres', url: database.url }))).toThrow(/initialized/);
  });
});
