import {
  CategoryField,
  CurrencyField,
  DescriptionField,
  NameField,
  PriceCentsField,
  SkuField,
  StockField,
  UuidField,
} from './product-fields';

/** Body of `PATCH /v1/products/:id`: only the fields present change. */
export class UpdateProductRequest {
  @SkuField({ required: false }) sku?: string;
  @NameField({ required: false }) name?: string;
  @DescriptionField({ required: false }) description?: string;
  @PriceCentsField({ required: false }) priceCents?: number;
  @CurrencyField({ required: false }) currency?: string;
  @StockField({ required: false }) stock?: number;
  @CategoryField() category?: string | null;
}

/** Payload of `catalog.product.update`: the PATCH body plus the product id. */
export class UpdateProductCommand extends UpdateProductRequest {
  @UuidField() id: string;
}
