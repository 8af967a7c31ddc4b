import { Module } from '@nestjs/common';

/** The gateway's HTTP routes for the catalog service (API.md, Catalog section). */
@Module({})
export class CatalogRoutesModule {}
