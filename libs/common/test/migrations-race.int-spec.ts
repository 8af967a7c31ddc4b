import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { runMigrationsExclusively } from '../src/database/migrate';
import { createTestDatabase, queryDatabase, TestDatabase } from '@test/support/test-database';

/** Slow on purpose: replicas that don't wait for each other are then certain to overlap in it. */
class CreateWidgets1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('SELECT pg_sleep(0.3)');
    await runner.query('CREATE TABLE "widgets" ("id" serial PRIMARY KEY, "name" text NOT NULL)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "widgets"');
  }
}

class SeedWidgets1700000000001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`INSERT INTO "widgets" ("name") VALUES ('only once')`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DELETE FROM "widgets"');
  }
}

/**
 * N replicas starting at once on an empty database, each running the pending migrations as
 * services do at start-up (runMigrationsExclusively): exactly one applies them, the others wait and
 * find nothing to do. The real services racing as processes: test/e2e/migrations-race.e2e-spec.ts.
 */
describe(runMigrationsExclusively.name, () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('migrace');
    for (let i = 0; i < 4; i++) {
      dataSources.push(
        await new DataSource({
          type: 'postgres',
          url: database.url,
          synchronize: false,
          migrationsTableName: 'migrations',
          migrations: [CreateWidgets1700000000000, SeedWidgets1700000000001],
        }).initialize(),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await database?.drop();
  });

  it('applies each migration exactly once when four replicas run them at once on an empty database', async () => {
    const outcomes = await Promise.allSettled(
      dataSources.map((dataSource) => runMigrationsExclusively(dataSource, 'bazaar-migrations-race-test')),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const applied = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value : []));
    expect(applied.sort()).toEqual(['CreateWidgets1700000000000', 'SeedWidgets1700000000001']);
    const recorded = await queryDatabase<{ name: string; n: number }>(
      database.url,
      'SELECT name, count(*)::int AS n FROM migrations GROUP BY name ORDER BY name',
    );
    expect(recorded).toEqual([
      { name: 'CreateWidgets1700000000000', n: 1 },
      { name: 'SeedWidgets1700000000001', n: 1 },
    ]);
    expect(await queryDatabase(database.url, 'SELECT name FROM widgets')).toEqual([{ name: 'only once' }]);
  });
});
