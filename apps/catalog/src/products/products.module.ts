import { DynamicModule, Module } from '@nestjs/common';
import { ProductCursorCodec } from './product-cursor';
import { ProductsController } from './products.controller';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';

@Module({})
export class ProductsModule {
  static forRoot(settings: { cursorSecret: string }): DynamicModule {
    return {
      module: ProductsModule,
      controllers: [ProductsController],
      providers: [
        ProductsService,
        ProductsRepository,
        { provide: ProductCursorCodec, useValue: new ProductCursorCodec(settings.cursorSecret) },
      ],
      exports: [ProductsRepository],
    };
  }
}
