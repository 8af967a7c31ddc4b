/** NATS subjects served by the catalog service: `<service>.<entity>.<verb>`. */
export const CATALOG_PATTERNS = {
  PING: 'catalog.system.ping',
  CREATE_PRODUCT: 'catalog.product.create',
  GET_PRODUCT: 'catalog.product.get',
  LIST_PRODUCTS: 'catalog.product.list',
  UPDATE_PRODUCT: 'catalog.product.update',
  ARCHIVE_PRODUCT: 'catalog.product.archive',
  RESERVE_STOCK: 'catalog.stock.reserve',
  RELEASE_STOCK: 'catalog.stock.release',
  GET_RESERVATION: 'catalog.reservation.get',
} as const;

export type CatalogPattern = (typeof CATALOG_PATTERNS)[keyof typeof CATALOG_PATTERNS];
