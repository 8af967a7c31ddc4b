import { DataSource } from 'typeorm';
import { validateEnv, ServiceEnv } from '@app/common/config';
import { PersistenceSchema, typeormOptions } from '@app/common/database';
import { createTestDatabase } from './test-database';

/**
 * Runs `work` against a fresh database that `schema`'s migrations just built (tables empty), with
 * the data source options a service uses, then drops it.
 */
export async function withMigratedDatabase<T>(
  label: string,
  schema: PersistenceSchema,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase(label);
  const dataSource = new DataSource(
    typeormOptions(validateEnv(ServiceEnv, { DATABASE_URL: database.url, DB_POOL_SIZE: '2' }), schema),
  );
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    return await work(dataSource);
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await database.drop();
  }
}
