import { DataSource, MigrationExecutor } from 'typeorm';

/**
 * Runs pending migrations while holding a Postgres advisory lock on the same connection, so that
 * when N replicas start at once exactly one migrates and the others wait, then find nothing to do.
 */
export async function runMigrationsExclusively(dataSource: DataSource, lockName: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]).catch(() => undefined);
    await runner.release();
  }
}
