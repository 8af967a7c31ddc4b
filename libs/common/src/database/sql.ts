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
 * A statement for the hot paths (`me`, login): run as a named prepared statement straight on the
 * pg pool under TypeORM's data source. TypeORM's `query()` builds a query runner, broadcasts
 * events and wraps the result on every call (≈ 50 µs of CPU each, measured), and an unnamed
 * statement is parsed and planned by Postgres every time; a named one once per connection.
 * Errors are pg's own, which the shared RPC filter classifies as TypeORM's (they carry the same
 * SQLSTATE codes). The text must be constant for a given name (pg refuses a name reused for
 * another text on the same connection).
 */
export class PreparedQuery<Row> {
  constructor(
    private readonly name: string,
    private readonly text: string,
  ) {}

  async rows(dataSource: DataSource, values: unknown[]): Promise<Row[]> {
    const result = await pgPoolOf(dataSource).query({ name: this.name, text: this.text, values });
    return result.rows as Row[];
  }
}
