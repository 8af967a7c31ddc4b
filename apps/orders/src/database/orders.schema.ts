import { PersistenceSchema } from '@app/common/database';
import { OUTBOX_ENTITY } from '@app/common/outbox';
import { IdempotencyKeyEntity } from '../idempotency/idempotency-key.entity';
import { OrderEntity } from '../orders/order.entity';
import { CreateOrders1764500000000 } from './migrations/1764500000000-create-orders';
import { CreateOutbox1764500000001 } from './migrations/1764500000001-create-outbox';

/** Every entity and migration of the orders database, listed explicitly (no globs). */
export const ordersSchema: PersistenceSchema = {
  entities: [OrderEntity, IdempotencyKeyEntity, OUTBOX_ENTITY],
  migrations: [CreateOrders1764500000000, CreateOutbox1764500000001],
};
