import { DynamicModule, Module } from '@nestjs/common';
import {
  busConnectionFrom,
  eventRetentionFrom,
  CatalogClient,
  DatabaseModule,
  EnvModule,
  MessagingClientModule,
  OpsModule,
  ORDERS_PATTERNS,
  ORDERS_STREAM,
  OutboxModule,
  pingControllerFor,
} from '@app/common';
import { OrdersEnv } from './config/orders.env';
import { ordersSchema } from './database/orders.schema';
import { OrdersFeatureModule } from './orders/orders.module';
import { RecoveryModule } from './recovery/recovery.module';

export const ORDERS_SERVICE = 'orders';

@Module({})
export class OrdersModule {
  static forRoot(config: OrdersEnv): DynamicModule {
    return {
      module: OrdersModule,
      imports: [
        EnvModule.forRoot(config),
        OpsModule.forRoot(ORDERS_SERVICE),
        DatabaseModule.forRoot(ORDERS_SERVICE, config, ordersSchema),
        OutboxModule.forRoot({
          service: ORDERS_SERVICE,
          bus: busConnectionFrom(config, ORDERS_SERVICE),
          retention: eventRetentionFrom(config),
          stream: ORDERS_STREAM,
        }),
        MessagingClientModule.forRoot(ORDERS_SERVICE, config, [CatalogClient]),
        OrdersFeatureModule,
        RecoveryModule,
      ],
      controllers: [pingControllerFor(ORDERS_SERVICE, ORDERS_PATTERNS.PING)],
    };
  }
}
