import { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { ServiceEnv } from '../config/base.env';

export interface PersistenceSchema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
}

/**
 * TypeORM settings for a service's own database. Schema changes go through migrations only
 * (never `synchronize`), and entity and migration classes are listed explicitly, not globbed.
 */
export function typeormOptions(config: ServiceEnv, schema: PersistenceSchema): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: config.DB_POOL_SIZE,
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
      // A request can never hold a connection forever (e.g. behind a lock held by a frozen peer).
      statement_timeout: 15_000,
      application_name: `bazaar-${config.REPLICA_ID ?? process.pid}`,
    },
  };
}
