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

/**
 * A JSON body typed by what it encodes: the controllers answer the catalog's reads with text
 * serialised once, which Fastify sends as it is (a string under a JSON content type is never
 * serialised again).
 */
export type JsonText<T> = string & { readonly __encodes?: T };

/**
 * A catalog answer as the cache keeps it: its JSON text, made once when it is read from catalog and
 * sent as it is to every request it answers (serialising it per answer was 23 % of the gateway's
 * CPU on cached listing pages, measured with --cpu-prof), and the tags a stock change reaches it
 * by. A string can't be changed by whoever it is handed to, so nothing needs freezing.
 */
export interface SerialisedRead<T> {
  json: JsonText<T>;
  tags: readonly string[];
}

/** `value` as the JSON text Fastify would have made of it. */
export function jsonTextOf<T>(value: T): JsonText<T> {
  return JSON.stringify(value);
}

export function serialisedRead<T extends ProductResponse | Page<ProductResponse>>(value: T): SerialisedRead<T> {
  const json = jsonTextOf(value);
  return isPage(value)
    ? { json, tags: ['list', ...value.items.map((item) => productTag(item.id))] }
    : { json, tags: [] };
}

/** Size (JSON length: what goes on the wire) and tags of a cached answer. */
export function shapeOf(read: SerialisedRead<unknown>): CachedShape {
  return { bytes: read.json.length, tags: read.tags };
}
