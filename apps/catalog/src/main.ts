// First: a stop during start-up must exit at once (see the module).
import '@app/common/bootstrap/exit-while-starting';
import 'reflect-metadata';
import { runService } from '@app/common/bootstrap';
import { CatalogEnv } from './config/catalog.env';
import { CatalogModule, CATALOG_SERVICE } from './catalog.module';
import { catalogSchema } from './database/catalog.schema';

runService({
  service: CATALOG_SERVICE,
  envClass: CatalogEnv,
  module: (config) => CatalogModule.forRoot(config),
  schema: catalogSchema,
});
