import { DynamicModule, Module } from '@nestjs/common';
import { GatewayEnv } from '../config/gateway.env';
import { CatalogReads } from './read-cache/catalog-reads.service';
import { ProductsRoutesController } from './products-routes.controller';

/** The gateway's HTTP routes for the catalog service (docs/api.md#catalog-routes); public reads go through the read cache. */
@Module({})
export class CatalogRoutesModule {
  static forRoot(config: GatewayEnv): DynamicModule {
    return {
      module: CatalogRoutesModule,
      controllers: [ProductsRoutesController],
      providers: [{ provide: GatewayEnv, useValue: config }, CatalogReads],
    };
  }
}
