import { ProductResponse } from './product.response';

/** Domain events the catalog publishes to the JetStream stream `CATALOG` (docs/api.md#events). */
export const CATALOG_EVENTS = {
  PRODUCT_CREATED: 'catalog.events.product-created',
  PRODUCT_UPDATED: 'catalog.events.product-updated',
  PRODUCT_ARCHIVED: 'catalog.events.product-archived',
  STOCK_CHANGED: 'catalog.events.stock-changed',
} as const;

export type CatalogEventSubject = (typeof CATALOG_EVENTS)[keyof typeof CATALOG_EVENTS];

export const CATALOG_STREAM = { name: 'CATALOG', subjects: ['catalog.events.>'] };

/**
 * Core-NATS subject (outside the stream, not part of the public event contract) on which each
 * catalog replica's outbox relay says how far it has caught up (`OutboxHeartbeat`): the gateway's
 * read cache uses it to bound how stale it can be.
 */
export const CATALOG_FEED_HEARTBEAT = 'catalog.feed.heartbeat';

/** `product-created` and `product-updated` carry the product as it is after the change. */
export type ProductChangedEvent = ProductResponse;

export interface ProductArchivedEvent {
  id: string;
  sku: string;
  archivedAt: string;
}

/**
 * Why stock moved: a reservation took it, a release gave it back, or an admin set it (PATCH).
 * `orderId` is set for `reserved` and `released`.
 */
export type StockChangeReason = 'reserved' | 'released' | 'adjusted';

export interface StockChangedEvent {
  productId: string;
  sku: string;
  /** Stock after the change. */
  stock: number;
  /** Signed change: negative when stock was taken. */
  delta: number;
  reason: StockChangeReason;
  orderId: string | null;
}
