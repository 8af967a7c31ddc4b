// First: a stop during start-up must exit at once (see the module).
import '@app/common/bootstrap/exit-while-starting';
import 'reflect-metadata';
import { runService } from '@app/common/bootstrap';
import { OrdersEnv } from './config/orders.env';
import { OrdersModule, ORDERS_SERVICE } from './orders.module';
import { ordersSchema } from './database/orders.schema';

runService({
  service: ORDERS_SERVICE,
  envClass: OrdersEnv,
  module: (config) => OrdersModule.forRoot(config),
  schema: ordersSchema,
});
