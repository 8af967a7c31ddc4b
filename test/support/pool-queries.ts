import type { QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '@app/common/database';

/**
 * Routes every call of the pg pool under `dataSource` (where PreparedQuery's statements, and the
 * outbox's, run beside TypeORM) through `intercept`, which sees the call's arguments as given
 * (`(config)` or `(text, values)`) and runs the real query with `proceed`. Undone by
 * `jest.restoreAllMocks()`.
 */
export function interceptPoolQueries(
  dataSource: DataSource,
  intercept: (args: unknown[], proceed: () => Promise<QueryResult>) => Promise<QueryResult>,
): void {
  const pool = pgPoolOf(dataSource);
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<QueryResult>;
  jest
    .spyOn(pool, 'query')
    .mockImplementation(((...args: unknown[]) => intercept(args, () => query(...args))) as never);
}
