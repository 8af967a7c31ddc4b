import { Module } from '@nestjs/common';
import { ProductsRoutesController } from './products-routes.controller';

/** The gateway's HTTP routes for the catalog service (API.md, Catalog section). */
@Module({ controllers: [ProductsRoutesController] })
export class CatalogRoutesModule {}
