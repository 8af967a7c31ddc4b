import { Module } from '@nestjs/common';
import { CatalogReads } from './read-cache/catalog-reads.service';
import { ProductsRoutesController } from './products-routes.controller';

/** The gateway's HTTP routes for the catalog service (docs/api.md#catalog-routes); public reads go through the read cache. */
@Module({ controllers: [ProductsRoutesController], providers: [CatalogReads] })
export class CatalogRoutesModule {}
