import { DynamicModule, Module } from '@nestjs/common';
import { ORDERS_PATTERNS, DatabaseModule, OpsModule, pingControllerFor } from '@app/common';
import { OrdersEnv } from './config/orders.env';
import { ordersSchema } from './database/orders.schema';

export const ORDERS_SERVICE = 'orders';

@Module({})
export class OrdersModule {
  static forRoot(config: OrdersEnv): DynamicModule {
    return {
      module: OrdersModule,
      imports: [OpsModule.forRoot(ORDERS_SERVICE), DatabaseModule.forRoot(ORDERS_SERVICE, config, ordersSchema)],
      controllers: [pingControllerFor(ORDERS_SERVICE, ORDERS_PATTERNS.PING)],
      providers: [{ provide: OrdersEnv, useValue: config }],
    };
  }
}
