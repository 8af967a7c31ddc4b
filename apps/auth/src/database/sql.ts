import { DataSource, QueryFailedError } from 'typeorm';
import { pgPoolOf } from '@app/common/database';

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Rows of a raw query. TypeORM answers `[rows, count]` for UPDATE/DELETE and `rows` otherwise. */
export async function queryRows<T>(runner: Queryable, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await runner.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) {
    return false;
  }
  const driverError = error.driverError as { code?: unknown } | undefined;
  return driverError?.code === UNIQUE_VIOLATION;
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
