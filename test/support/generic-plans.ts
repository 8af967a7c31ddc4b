import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { GENERIC_PLAN_SETTINGS, type PersistenceSchema, type PreparedQuery } from '@app/common/database';
import { createTestDatabase } from './test-database';

/**
 * The generic plan of each statement on a freshly migrated database whose tables are empty, as a
 * connection that prepares it before the first row arrives would keep it (see `useGenericPlans`,
 * whose settings it plans under). EXPLAIN EXECUTE with every parameter NULL: a generic plan
 * doesn't depend on the values.
 */
export async function genericPlansOnEmptyTables(
  label: string,
  schema: PersistenceSchema,
  statements: ReadonlyArray<PreparedQuery<unknown>>,
): Promise<Map<string, string>> {
  const database = await createTestDatabase(label);
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.url,
    ...schema,
    migrationsTableName: 'migrations',
  });
  const client = new Client({ connectionString: database.url });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    await client.connect();
    const plans = new Map<string, string>();
    for (const { name, text } of statements) {
      const parameters = Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
      await client.query('BEGIN');
      try {
        await client.query(GENERIC_PLAN_SETTINGS);
        await client.query(`PREPARE "probe" AS ${text}`);
        const nulls = Array.from({ length: parameters }, () => 'NULL').join(', ');
        const rows = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN EXECUTE "probe"${parameters > 0 ? `(${nulls})` : ''}`,
        );
        plans.set(name, rows.rows.map((row) => row['QUERY PLAN']).join('\n'));
      } finally {
        await client.query('ROLLBACK');
        await client.query('DEALLOCATE ALL');
      }
    }
    return plans;
  } finally {
    await client.end().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
    await database.drop();
  }
}

/** Scans of a whole table in a plan ("Seq Scan on orders o"): what a generic plan must not hold. */
export function tableScansIn(plan: string): string[] {
  return [...plan.matchAll(/Seq Scan on \S+/g)].map((match) => match[0]);
}
