import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

/**
 * The node-postgres pool under a TypeORM data source (`master` of TypeORM's PostgresDriver, typed
 * `any` by TypeORM): the same connections, for hot statements that skip TypeORM's per-query work
 * (a query runner built, a connection taken and released, events broadcast around each one).
 * Errors from it are pg's own, which isDatabaseUnavailable and the RPC filter classify as TypeORM's.
 * `master` is a public but undocumented field: libs/common/test/pg-pool.int-spec.ts proves it is
 * the pool TypeORM's own queries use, so an upgrade that changes it fails there.
 */
export function pgPoolOf(dataSource: DataSource): Pool {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool || typeof pool.query !== 'function') {
    throw new Error('pgPoolOf needs an initialized PostgreSQL data source');
  }
  return pool;
}
