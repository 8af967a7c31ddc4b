import { GENERIC_PLAN_SETTINGS, type PersistenceSchema, type PreparedQuery } from '@app/common/database';
import { withMigratedDatabase } from './migrated-database';

/**
 * The scans of a whole table ("Seq Scan on orders o") in the generic plan of each statement, made on
 * a freshly migrated database whose tables are empty, as a connection that prepares it before the
 * first row arrives would keep it. A statement meant to be a key lookup must have none. EXPLAIN
 * EXECUTE with every parameter NULL: a generic plan doesn't depend on the values.
 *
 * `plannedAs`: `batch` plans under `useGenericPlans`' settings (sequential scans off), as group
 * commit's batches run; `pool` under Postgres's defaults, as a statement run straight on the pool,
 * whose generic plan Postgres adopts by itself after five executions when it looks no costlier.
 */
export function tableScansOfGenericPlans(
  label: string,
  schema: PersistenceSchema,
  statements: ReadonlyArray<PreparedQuery<unknown>>,
  plannedAs: 'batch' | 'pool' = 'batch',
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
          await runner.query(
            plannedAs === 'batch'
              ? GENERIC_PLAN_SETTINGS
              : `SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`,
          );
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
