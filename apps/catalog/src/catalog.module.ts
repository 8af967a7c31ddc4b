import { DynamicModule, Module } from '@nestjs/common';
import { EnvModule } from '@app/common/config';
import { DatabaseModule } from '@app/common/database';
import { busConnectionFrom } from '@app/common/messaging';
import { OpsModule, pingControllerFor } from '@app/common/ops';
import { eventRetentionFrom, OutboxModule } from '@app/common/outbox';
import { CATALOG_FEED_HEARTBEAT, CATALOG_PATTERNS, CATALOG_STREAM } from '@app/contracts';
import { CatalogEnv } from './config/catalog.env';
import { catalogSchema } from './database/catalog.schema';
import { ProductsModule } from './products/products.module';
import { DemoSeeder } from './seed/demo-seeder';
import { StockModule } from './stock/stock.module';

export const CATALOG_SERVICE = 'catalog';

@Module({})
export class CatalogModule {
  static forRoot(config: CatalogEnv): DynamicModule {
    return {
      module: CatalogModule,
      imports: [
        EnvModule.forRoot(config),
        OpsModule.forRoot(CATALOG_SERVICE),
        DatabaseModule.forRoot(CATALOG_SERVICE, config, catalogSchema),
        OutboxModule.forRoot({
          service: CATALOG_SERVICE,
          bus: busConnectionFrom(config, CATALOG_SERVICE),
          retention: eventRetentionFrom(config),
          stream: CATALOG_STREAM,
          heartbeatSubject: CATALOG_FEED_HEARTBEAT,
        }),
        ProductsModule,
        StockModule,
      ],
      controllers: [pingControllerFor(CATALOG_SERVICE, CATALOG_PATTERNS.PING)],
      providers: [DemoSeeder],
    };
  }
}
