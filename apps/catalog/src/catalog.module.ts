import { DynamicModule, Module } from '@nestjs/common';
import { CATALOG_PATTERNS, DatabaseModule, OpsModule, pingControllerFor } from '@app/common';
import { CatalogEnv } from './config/catalog.env';
import { catalogSchema } from './database/catalog.schema';

export const CATALOG_SERVICE = 'catalog';

@Module({})
export class CatalogModule {
  static forRoot(config: CatalogEnv): DynamicModule {
    return {
      module: CatalogModule,
      imports: [OpsModule.forRoot(CATALOG_SERVICE), DatabaseModule.forRoot(CATALOG_SERVICE, config, catalogSchema)],
      controllers: [pingControllerFor(CATALOG_SERVICE, CATALOG_PATTERNS.PING)],
      providers: [{ provide: CatalogEnv, useValue: config }],
    };
  }
}
