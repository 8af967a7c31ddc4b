import { UuidField } from './product-fields';

/** The `:id` of a product route, and the payload of `catalog.product.get` / `.archive`. */
export class ProductIdRequest {
  @UuidField() id: string;
}
