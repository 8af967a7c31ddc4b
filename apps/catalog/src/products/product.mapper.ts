import { ProductResponse } from '@app/contracts';
import { ProductRow } from './products.repository';

/** The one way a product leaves the service: named fields only, so nothing internal can leak. */
export function toProductResponse(row: ProductRow): ProductResponse {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    priceCents: row.priceCents,
    currency: row.currency,
    stock: row.stock,
    category: row.category,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
