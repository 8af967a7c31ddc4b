import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ArchivedProductResponse,
  CATALOG_PATTERNS,
  CreateProductRequest,
  ListProductsQuery,
  Page,
  ProductIdRequest,
  ProductResponse,
  UpdateProductCommand,
} from '@app/contracts';
import { ProductsService } from './products.service';

/** NATS handlers of the product subjects: validate (global pipe), call the service, return. */
@Controller()
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @MessagePattern(CATALOG_PATTERNS.CREATE_PRODUCT)
  create(@Payload() request: CreateProductRequest): Promise<ProductResponse> {
    return this.products.create(request);
  }

  @MessagePattern(CATALOG_PATTERNS.GET_PRODUCT)
  get(@Payload() request: ProductIdRequest): Promise<ProductResponse> {
    return this.products.get(request.id);
  }

  @MessagePattern(CATALOG_PATTERNS.LIST_PRODUCTS)
  list(@Payload() query: ListProductsQuery): Promise<Page<ProductResponse>> {
    return this.products.list(query);
  }

  @MessagePattern(CATALOG_PATTERNS.UPDATE_PRODUCT)
  update(@Payload() command: UpdateProductCommand): Promise<ProductResponse> {
    return this.products.update(command);
  }

  @MessagePattern(CATALOG_PATTERNS.ARCHIVE_PRODUCT)
  archive(@Payload() request: ProductIdRequest): Promise<ArchivedProductResponse> {
    return this.products.archive(request.id);
  }
}
