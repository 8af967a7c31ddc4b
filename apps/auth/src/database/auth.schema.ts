import { PersistenceSchema } from '@app/common';

/** Every entity and migration of the auth database, listed explicitly (no globs). */
export const authSchema: PersistenceSchema = {
  entities: [],
  migrations: [],
};
