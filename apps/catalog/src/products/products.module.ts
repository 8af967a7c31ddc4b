import { Module } from '@nestjs/common';
import { CatalogEnv } from '../config/catalog.env';
import { ProductCursorCodec } from './product-cursor';
import { ProductsController } from './products.controller';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';

@Module({
  controllers: [ProductsController],
  providers: [
    ProductsService,
    ProductsRepository,
    {
      provide: ProductCursorCodec,
      inject: [CatalogEnv],
      useFactory: (config: CatalogEnv) => new ProductCursorCodec(config.cursorSecret),
    },
  ],
  exports: [ProductsRepository],
})
export class ProductsModule {}
