import { PersistenceSchema } from '@app/common';

/** Every entity and migration of the catalog database, listed explicitly (no globs). */
export const catalogSchema: PersistenceSchema = {
  entities: [],
  migrations: [],
};
