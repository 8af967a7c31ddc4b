import { ListProductsQuery, Page, ProductResponse } from '@app/contracts';
import { CachedShape } from './read-cache';

/**
 * A product id as the cache files it. UUIDs are the same in either case and catalog compares them
 * so, but a request may spell one in upper or mixed case while catalog's events and answers use
 * lower case: keyed as spelled, `GET /v1/products/<UPPER>` would fill an entry that no event for
 * the product ever drops (an archived product served until the TTL). Every key and tag of a
 * product goes through here.
 */
const productIdKey = (id: string): string => id.toLowerCase();

export const productKey = (id: string): string => `p:${productIdKey(id)}`;

/** Tag of every cached listing page that shows the product. */
export const productTag = (id: string): string => `in:${productIdKey(id)}`;

/**
 * One key per distinct validated query: every field the catalog reads, in a fixed order, so the
 * same query written differently (parameter order) shares an entry.
 */
export function listKey(query: ListProductsQuery): string {
  return `l:${JSON.stringify([query.q, query.category, query.minPrice, query.maxPrice, query.sort, query.limit, query.cursor])}`;
}

function isPage(value: ProductResponse | Page<ProductResponse>): value is Page<ProductResponse> {
  return Array.isArray((value as Page<ProductResponse>).items);
}

/** Size (JSON length, close to what goes on the wire) and the tags a stock change reaches it by. */
export function shapeOf(value: ProductResponse | Page<ProductResponse>): CachedShape {
  const bytes = JSON.stringify(value).length;
  return isPage(value)
    ? { bytes, tags: ['list', ...value.items.map((item) => productTag(item.id))] }
    : { bytes, tags: [] };
}

/** One object answers many requests: nothing downstream may change it. */
export function deepFreeze<T>(value: T): T {
  // Object.isFrozen is true for null and every primitive, so this alone picks the objects and
  // arrays still to freeze (a cached value is parsed JSON: no functions), and stops at a cycle.
  if (!Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) {
      deepFreeze(child);
    }
  }
  return value;
}
