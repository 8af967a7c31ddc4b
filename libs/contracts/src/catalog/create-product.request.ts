import {
  CategoryField,
  CurrencyField,
  DescriptionField,
  NameField,
  PriceCentsField,
  SkuField,
  StockField,
} from './product-fields';

/** Body of `POST /v1/products` and payload of `catalog.product.create`. */
export class CreateProductRequest {
  @SkuField({ required: true }) sku: string;
  @NameField({ required: true }) name: string;
  @DescriptionField({ required: false }) description?: string;
  @PriceCentsField({ required: true }) priceCents: number;
  @CurrencyField({ required: false }) currency?: string;
  @StockField({ required: false }) stock?: number;
  @CategoryField() category?: string | null;
}
