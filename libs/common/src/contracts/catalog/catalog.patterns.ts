/** NATS subjects served by the catalog service: `<service>.<entity>.<verb>`. */
export const CATALOG_PATTERNS = {
  PING: 'catalog.system.ping',
} as const;

export type CatalogPattern = (typeof CATALOG_PATTERNS)[keyof typeof CATALOG_PATTERNS];
