import { PersistenceSchema } from '@app/common';

/** Every entity and migration of the orders database, listed explicitly (no globs). */
export const ordersSchema: PersistenceSchema = {
  entities: [],
  migrations: [],
};
