import { PersistenceSchema } from '@app/common/database';
import { OUTBOX_ENTITY } from '@app/common/outbox';
import { ProductEntity } from '../products/product.entity';
import { ReservationEntity } from '../stock/reservation.entity';
import { CreateProducts1764300000000 } from './migrations/1764300000000-create-products';
import { CreateReservations1764300000001 } from './migrations/1764300000001-create-reservations';
import { CreateOutbox1764300000002 } from './migrations/1764300000002-create-outbox';
import { SearchIndexesByCategory1764300000003 } from './migrations/1764300000003-search-indexes-by-category';

/** Every entity and migration of the catalog database, listed explicitly (no globs). */
export const catalogSchema: PersistenceSchema = {
  entities: [ProductEntity, ReservationEntity, OUTBOX_ENTITY],
  migrations: [
    CreateProducts1764300000000,
    CreateReservations1764300000001,
    CreateOutbox1764300000002,
    SearchIndexesByCategory1764300000003,
  ],
};
