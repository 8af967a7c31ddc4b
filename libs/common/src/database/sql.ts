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
    private readonly name: string,
    private readonly text: string,
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
 * Has the rest of `transaction` run its prepared statements on their generic plans. Postgres plans
 * a prepared statement again at every execution while its generic plan looks costlier than the
 * custom ones, which for statements over arrays (`unnest($1)`, `= ANY($1)`) is often: a custom
 * plan knows the array's length, the generic one guesses. Catalog's reserve was planned at each of
 * 800 executions out of 800 (pg_prepared_statements); in the batches of group commit that was a
 * plan per member and per batch, 10 % of the machine's CPU while placing orders (perf), where the
 * generic plans are the plans they get anyway (index scans on the keys, checked with EXPLAIN).
 * Only for transactions that run nothing but such statements: unnamed statements after it would
 * get generic plans too.
 */
export async function useGenericPlans(transaction: EntityManager): Promise<void> {
  await transaction.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
}
