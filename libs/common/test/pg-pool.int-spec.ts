import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf, PreparedQuery, useGenericPlans } from '@app/common/database';
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

  describe(PreparedQuery.name, () => {
    const CURRENT_TRANSACTION = new PreparedQuery<{ txid: string }>(
      'test_current_txid',
      'SELECT txid_current()::text AS "txid"',
    );

    it("runs on a transaction's own connection: same transaction id, sees its uncommitted rows", async () => {
      await dataSource.query('CREATE TABLE IF NOT EXISTS "prepared_probe" ("n" integer)');
      const count = new PreparedQuery<{ n: number }>(
        'test_probe_count',
        'SELECT count(*)::int AS "n" FROM "prepared_probe"',
      );
      await dataSource
        .transaction(async (manager) => {
          await manager.query('INSERT INTO "prepared_probe" VALUES (1)');
          const [{ txid: typeormTxid }] = await manager.query<Array<{ txid: string }>>(
            'SELECT txid_current()::text AS "txid"',
          );
          const [{ txid }] = await CURRENT_TRANSACTION.rows(manager, []);
          expect(txid).toBe(typeormTxid);
          expect(await count.rows(manager, [])).toEqual([{ n: 1 }]);
          // Outside the transaction (another pooled connection), the row is not there yet.
          expect(await count.rows(dataSource, [])).toEqual([{ n: 0 }]);
          throw new Error('roll back');
        })
        .catch((error: Error) => expect(error.message).toBe('roll back'));
      expect(await count.rows(dataSource.manager, [])).toEqual([{ n: 0 }]);
    });

    it('hands back pg errors with their SQLSTATE, and the transaction rolls back', async () => {
      const divide = new PreparedQuery<never>('test_divide', 'SELECT 1 / $1::int');
      await expect(
        dataSource.transaction(async (manager) => {
          await manager.query('INSERT INTO "prepared_probe" VALUES (2)');
          await divide.rows(manager, [0]);
        }),
      ).rejects.toMatchObject({ code: '22012' });
      expect(await dataSource.query('SELECT count(*)::int AS "n" FROM "prepared_probe" WHERE "n" = 2')).toEqual([
        { n: 0 },
      ]);
    });

    it('runs prepared statements on their generic plan within useGenericPlans, never planning them again', async () => {
      const anyOf = new PreparedQuery<{ n: number }>(
        'test_any_of',
        'SELECT count(*)::int AS "n" FROM unnest($1::int[])',
      );
      const plans = new PreparedQuery<{ generic: string; custom: string }>(
        'test_plans_of',
        `SELECT generic_plans::text AS "generic", custom_plans::text AS "custom" FROM pg_prepared_statements WHERE name = $1`,
      );
      const plansAfter = (generic: boolean) =>
        dataSource.transaction(async (manager) => {
          if (generic) {
            await useGenericPlans(manager);
          }
          const before = (await plans.rows(manager, ['test_any_of']))[0] ?? { generic: '0', custom: '0' };
          for (let i = 0; i < 8; i++) {
            expect(await anyOf.rows(manager, [[1, 2, 3]])).toEqual([{ n: 3 }]);
          }
          const [after] = await plans.rows(manager, ['test_any_of']);
          return {
            generic: Number(after.generic) - Number(before.generic),
            custom: Number(after.custom) - Number(before.custom),
          };
        });
      // Without it Postgres plans at least the first five executions, and then every one whenever the
      // generic plan looks costlier (catalog's reserve: always); with it, never.
      expect((await plansAfter(false)).custom).toBeGreaterThanOrEqual(5);
      expect(await plansAfter(true)).toEqual({ generic: 8, custom: 0 });
    });
  });
});
