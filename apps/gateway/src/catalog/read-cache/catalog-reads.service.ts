import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BazaarMetrics } from '@app/common/ops';
import { BUS_CONNECTION, BusConnection } from '@app/common/messaging';
import {
  CATALOG_EVENTS,
  EventEnvelope,
  ListProductsQuery,
  Page,
  ProductArchivedEvent,
  ProductResponse,
  StockChangedEvent,
} from '@app/contracts';
import { CatalogClient } from '@app/common/clients';
import { OutboxHeartbeat } from '@app/common/outbox';
import { GatewayEnv } from '../../config/gateway.env';
import { CatalogChangeFeed } from './catalog-change-feed';
import { FeedFreshness } from './feed-freshness';
import { ReadCache, ReadPolicy } from './read-cache';
import { ReadCacheMetrics } from './read-cache.metrics';
import {
  JsonText,
  jsonTextOf,
  listKey,
  productKey,
  productTag,
  SerialisedRead,
  serialisedRead,
  shapeOf,
} from './read-cache-keys';

type CatalogRead = SerialisedRead<ProductResponse> | SerialisedRead<Page<ProductResponse>>;

const LIST_TAG = 'list';
const NO_CACHE: ReadPolicy = { serve: false, store: false };

/**
 * The gateway's public catalog reads (`GET /v1/products/:id` and `GET /v1/products`), answered
 * from an in-memory cache kept in step with the catalog's events, or straight from catalog when
 * the cache is off (READ_CACHE_ENABLED=false).
 *
 * Staleness bound: an entry is served only while the event feed is known complete up to less than
 * READ_CACHE_MAX_STALENESS_MS ago (the catalog relays' heartbeats say so), so a change that the
 * gateway has not heard of yet is younger than the bound. A change whose event was lost anyway is
 * healed by the TTL backstop (READ_CACHE_TTL_MS). Errors (404 included) are never cached.
 */
@Injectable()
export class CatalogReads implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly cache?: ReadCache<CatalogRead>;
  private readonly feed?: CatalogChangeFeed;
  private readonly freshness = new FeedFreshness();
  private readonly metrics: ReadCacheMetrics;
  private readonly detachGauges: Array<() => void> = [];

  constructor(
    private readonly catalog: CatalogClient,
    private readonly config: GatewayEnv,
    private readonly processMetrics: BazaarMetrics,
    @Inject(BUS_CONNECTION) bus: BusConnection,
  ) {
    this.metrics = ReadCacheMetrics.for(processMetrics);
    if (!config.READ_CACHE_ENABLED) {
      return;
    }
    this.cache = new ReadCache<CatalogRead>(
      {
        maxEntries: config.READ_CACHE_MAX_ENTRIES,
        maxBytes: config.READ_CACHE_MAX_BYTES,
        ttlMs: config.READ_CACHE_TTL_MS,
      },
      shapeOf,
      this.metrics.hooks(),
    );
    this.feed = new CatalogChangeFeed(bus, {
      event: (subject, envelope) => this.onEvent(subject, envelope),
      heartbeat: (heartbeat: OutboxHeartbeat) => this.freshness.heard(heartbeat),
      gap: () => this.onGap(),
    });
  }

  /** The product's JSON body, serialised once (see `serialisedRead`), from the cache when it may serve. */
  getProduct(id: string): Promise<JsonText<ProductResponse>> {
    if (!this.cache) {
      return this.catalog.getProduct(id).then(jsonTextOf);
    }
    const load = async () => serialisedRead(await this.catalog.getProduct(id));
    return this.cache
      .read(productKey(id), 'product', load, this.policy())
      .then((read) => read.json as JsonText<ProductResponse>);
  }

  /** The listing page's JSON body, serialised once, from the cache when it may serve. */
  listProducts(query: ListProductsQuery): Promise<JsonText<Page<ProductResponse>>> {
    if (!this.cache) {
      return this.catalog.listProducts(query).then(jsonTextOf);
    }
    const load = async () => serialisedRead(await this.catalog.listProducts(query));
    return this.cache
      .read(listKey(query), LIST_TAG, load, this.policy())
      .then((read) => read.json as JsonText<Page<ProductResponse>>);
  }

  /**
   * After a write through this replica succeeded: its own caller (and anyone on this replica) reads
   * the new state at once instead of within the bound; the event does the same on every replica.
   */
  wrote(productId: string): void {
    this.dropProductAndPages(productId);
  }

  onApplicationBootstrap(): void {
    if (!this.cache || !this.feed) {
      return;
    }
    const { cache, feed, freshness } = this;
    this.detachGauges.push(this.processMetrics.dependencies.natsConnections.attach(feed.connectionProbe()));
    this.detachGauges.push(
      this.metrics.attach({
        entries: () => cache.size,
        bytes: () => cache.bytes,
        feedUp: () => feed.up,
        feedLagSeconds: () => {
          const caughtUpAt = freshness.caughtUpAt();
          return caughtUpAt === undefined ? undefined : (Date.now() - caughtUpAt) / 1000;
        },
      }),
    );
    feed.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.detachGauges.splice(0).forEach((detach) => detach());
    await this.feed?.stop();
  }

  /** Keep only what is read while subscribed; serve only while the feed is complete within the bound. */
  private policy(): ReadPolicy {
    if (!this.feed?.up) {
      return NO_CACHE;
    }
    return { serve: this.freshness.isFresh(this.config.READ_CACHE_MAX_STALENESS_MS), store: true };
  }

  private onGap(): void {
    this.freshness.reset();
    this.flush('feed-gap');
  }

  /** A product created, changed or archived: any listing may gain, lose or reorder it, so every cached page goes. */
  private dropProductAndPages(productId: string): void {
    this.cache?.invalidateKey(productKey(productId));
    this.cache?.invalidateTag(LIST_TAG, LIST_TAG);
  }

  private onEvent(subject: string, envelope: EventEnvelope | undefined): void {
    const cache = this.cache;
    if (!cache) {
      return;
    }
    const data = envelope?.data as Partial<ProductResponse & ProductArchivedEvent & StockChangedEvent> | undefined;
    const event = subject.slice(subject.lastIndexOf('.') + 1);
    switch (subject) {
      case CATALOG_EVENTS.PRODUCT_CREATED:
      case CATALOG_EVENTS.PRODUCT_UPDATED:
      case CATALOG_EVENTS.PRODUCT_ARCHIVED:
        if (typeof data?.id !== 'string') {
          return this.flush('unreadable');
        }
        this.dropProductAndPages(data.id);
        break;
      case CATALOG_EVENTS.STOCK_CHANGED:
        if (typeof data?.productId !== 'string') {
          return this.flush('unreadable');
        }
        // Stock filters and orders no listing: only the pages showing this product go.
        cache.invalidateKey(productKey(data.productId));
        cache.invalidateTag(productTag(data.productId), LIST_TAG);
        break;
      default:
        // An event this gateway doesn't know (a newer catalog): anything may have changed.
        return this.flush('unknown');
    }
    this.metrics.invalidations.inc({ event });
  }

  private flush(event: string): void {
    this.cache?.clear();
    this.metrics.invalidations.inc({ event });
  }
}
