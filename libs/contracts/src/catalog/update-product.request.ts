import { PartialType } from '@nestjs/swagger';
import { CreateProductRequest } from './create-product.request';
import { UuidField } from './product-fields';

/**
 * Body of `PATCH /v1/products/:id`: the fields of `CreateProductRequest`, each optional; only the
 * fields present change. `skipNullProperties: false` keeps `null` refused where create refuses it
 * (the default, `@IsOptional()`, would let it through to NOT NULL columns): only `category`,
 * nullable on create too, may be cleared with `null`.
 */
export class UpdateProductRequest extends PartialType(CreateProductRequest, { skipNullProperties: false }) {}

/** Payload of `catalog.product.update`: the PATCH body plus the product id. */
export class UpdateProductCommand extends UpdateProductRequest {
  @UuidField() id: string;
}
