import type { ClientBase } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { pgPoolOf } from './pg-pool';

/** A database handle: the data source, or the manager of the current transaction. */
export type Queryable = Pick<EntityManager, 'query'>;

/**
 * The rows of one statement. TypeORM's `query()` answers `[rows, rowCount]` for UPDATE and
 * DELETE but plain rows otherwise; this hides the difference.
 */
export async function rowsOf<T>(db: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

/**
 * A statement for the hot paths (`me`, login, placing an order): run as a named prepared statement
 * straight on node-postgres under TypeORM. TypeORM's `query()` builds a query runner, broadcasts
 * events and wraps the result on every call (≈ 50 µs of CPU each, measured), and an unnamed
 * statement is parsed and planned by Postgres every time (0.3 ms for catalog's one-statement
 * reserve, measured with EXPLAIN ANALYZE); a named one is parsed once per connection.
 *
 * `db` is the data source (the statement takes any pooled connection) or the manager of a
 * transaction (the statement runs on that transaction's connection, which TypeORM's public
 * `QueryRunner.connect()` hands out: libs/common/test/pg-pool.int-spec.ts proves it is the
 * transaction's). Errors are pg's own, which the shared RPC filter and `isCheckViolation`
 * classify as TypeORM's (they carry the same SQLSTATE codes). The text must be constant for a
 * given name (pg refuses a name reused for another text on the same connection).
 */
export class PreparedQuery<Row> {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  async rows(db: DataSource | EntityManager, values: unknown[]): Promise<Row[]> {
    const query = { name: this.name, text: this.text, values };
    if (db instanceof EntityManager && db.queryRunner) {
      const client = (await db.queryRunner.connect()) as ClientBase;
      return (await client.query(query)).rows as Row[];
    }
    const dataSource = db instanceof EntityManager ? db.connection : db;
    return (await pgPoolOf(dataSource).query(query)).rows as Row[];
  }
}

/**
 * The settings `useGenericPlans` gives a transaction, as one statement (one round trip):
 * `SET LOCAL plan_cache_mode = force_generic_plan` and `SET LOCAL enable_seqscan = off`.
 */
export const GENERIC_PLAN_SETTINGS = `SELECT set_config('plan_cache_mode', 'force_generic_plan', true),
  set_config('enable_seqscan', 'off', true)`;

/**
 * Has the rest of `transaction` run its prepared statements on their generic plans, planned without
 * sequential scans. Postgres plans a prepared statement again at every execution while its generic
 * plan looks costlier than the custom ones, which for statements over arrays (`unnest($1)`,
 * `= ANY($1)`) is often: a custom plan knows the array's length, the generic one guesses. Catalog's
 * reserve was planned at each of 800 executions out of 800 (pg_prepared_statements); in the
 * batches of group commit that was a plan per member and per batch, 10 % of the machine's CPU
 * while placing orders (perf).
 *
 * A generic plan is made once per connection and kept until its tables' statistics change (an
 * ANALYZE invalidates it; with autovacuum off, never), and it may be made while the tables are
 * still empty, when a sequential scan is the cheapest plan: kept, it would scan a table that grows
 * with every order. With sequential scans off while it is made, it is the index lookup the
 * statement is written for, whatever the tables' size. So only statements that are key lookups
 * belong in such a transaction (each service's generic-plans.int-spec.ts checks them on freshly
 * migrated, empty tables), and nothing else may run in it after this: unnamed statements would be
 * planned the same way.
 */
export async function useGenericPlans(transaction: EntityManager): Promise<void> {
  await transaction.query(GENERIC_PLAN_SETTINGS);
}
