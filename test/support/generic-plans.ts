import { GENERIC_PLAN_SETTINGS, type PersistenceSchema, type PreparedQuery } from '@app/common/database';
import { withMigratedDatabase } from './migrated-database';

/**
 * The scans of a whole table ("Seq Scan on orders o") in the generic plan of each statement, made on
 * a freshly migrated database whose tables are empty, as a connection that prepares it before the
 * first row arrives would keep it (see `useGenericPlans`, whose settings it plans under). A
 * statement meant to be a key lookup must have none. EXPLAIN EXECUTE with every parameter NULL: a
 * generic plan doesn't depend on the values.
 */
export function tableScansOfGenericPlans(
  label: string,
  schema: PersistenceSchema,
  statements: ReadonlyArray<PreparedQuery<unknown>>,
): Promise<Array<{ name: string; scans: string[] }>> {
  return withMigratedDatabase(label, schema, async (dataSource) => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      const scans: Array<{ name: string; scans: string[] }> = [];
      for (const { name, text } of statements) {
        const parameters = Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((match) => Number(match[1])));
        const nulls = Array.from({ length: parameters }, () => 'NULL').join(', ');
        await runner.startTransaction();
        try {
          await runner.query(GENERIC_PLAN_SETTINGS);
          await runner.query(`PREPARE "probe" AS ${text}`);
          const rows: Array<{ 'QUERY PLAN': string }> = await runner.query(
            `EXPLAIN EXECUTE "probe"${parameters > 0 ? `(${nulls})` : ''}`,
          );
          const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
          scans.push({ name, scans: [...plan.matchAll(/Seq Scan on \S+/g)].map((match) => match[0]) });
        } finally {
          await runner.rollbackTransaction();
          await runner.query('DEALLOCATE ALL');
        }
      }
      return scans;
    } finally {
      await runner.release();
    }
  });
}
