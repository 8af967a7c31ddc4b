import { EntityManager } from 'typeorm';

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
