import { DynamicModule, Module } from '@nestjs/common';
import { CatalogClient } from '@app/common/clients';
import { EnvModule } from '@app/common/config';
import { DatabaseModule } from '@app/common/database';
import { busConnectionFrom, MessagingClientModule } from '@app/common/messaging';
import { OpsModule, pingControllerFor } from '@app/common/ops';
import { eventRetentionFrom, OutboxModule } from '@app/common/outbox';
import { ORDERS_PATTERNS, ORDERS_STREAM } from '@app/contracts';
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
