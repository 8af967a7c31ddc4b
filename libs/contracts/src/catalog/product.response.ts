/** A product as clients see it (docs/api.md#catalog-routes). Archived products are never returned. */
export interface ProductResponse {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  category: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The answer to an archive: the product is gone from reads, listings and reservations. */
export interface ArchivedProductResponse {
  id: string;
  archivedAt: string;
}
