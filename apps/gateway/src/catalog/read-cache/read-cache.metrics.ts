import { Counter, Gauge, Registry } from 'prom-client';
import { BazaarMetrics } from '@app/common/ops';
import { EvictionReason, LookupOutcome } from './read-cache';

/** What the gauges read when Prometheus scrapes: one source per cache in the process. */
export interface ReadCacheGaugeSource {
  entries(): number;
  bytes(): number;
  feedUp(): boolean;
  /** Seconds since the feed was last known complete; undefined when nothing vouches for it. */
  feedLagSeconds(): number | undefined;
}

/**
 * The read cache's Prometheus metrics. One set per registry (one per process): a second gateway
 * app in the same process (tests) adds its cache as another gauge source instead of re-registering.
 */
export class ReadCacheMetrics {
  private static readonly byRegistry = new WeakMap<Registry, ReadCacheMetrics>();
  private readonly sources = new Set<ReadCacheGaugeSource>();

  readonly lookups: Counter<'kind' | 'outcome'>;
  readonly invalidations: Counter<'event'>;
  readonly evictions: Counter<'reason'>;

  static for(metrics: BazaarMetrics): ReadCacheMetrics {
    let instance = ReadCacheMetrics.byRegistry.get(metrics.registry);
    if (!instance) {
      instance = new ReadCacheMetrics(metrics.registry);
      ReadCacheMetrics.byRegistry.set(metrics.registry, instance);
    }
    return instance;
  }

  private constructor(registry: Registry) {
    const registers = [registry];
    this.lookups = new Counter({
      name: 'bazaar_read_cache_lookups_total',
      help: 'Catalog reads by kind (product, list) and outcome: hit, miss, coalesced (joined a read in flight), bypass (feed not fresh or down)',
      labelNames: ['kind', 'outcome'] as const,
      registers,
    });
    this.invalidations = new Counter({
      name: 'bazaar_read_cache_invalidations_total',
      help: 'Invalidations by cause: the catalog event received, or feed-gap (connection lost or regained, slow consumer: everything flushed)',
      labelNames: ['event'] as const,
      registers,
    });
    this.evictions = new Counter({
      name: 'bazaar_read_cache_evictions_total',
      help: 'Entries dropped by the size bound (lru) or found expired by the TTL backstop (ttl)',
      labelNames: ['reason'] as const,
      registers,
    });
    const sum = (read: (source: ReadCacheGaugeSource) => number): number =>
      [...this.sources].reduce((total, source) => total + read(source), 0);
    const sources = this.sources;
    new Gauge({
      name: 'bazaar_read_cache_entries',
      help: 'Entries held by the read cache',
      registers,
      collect() {
        this.set(sum((source) => source.entries()));
      },
    });
    new Gauge({
      name: 'bazaar_read_cache_bytes',
      help: 'Bytes (JSON length) of the values held by the read cache',
      registers,
      collect() {
        this.set(sum((source) => source.bytes()));
      },
    });
    new Gauge({
      name: 'bazaar_read_cache_feed_up',
      help: '1 while the catalog event feed is subscribed, 0 otherwise (the cache is flushed and bypassed)',
      registers,
      collect() {
        this.set([...sources].every((source) => source.feedUp()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'bazaar_read_cache_feed_lag_seconds',
      help: 'Age of the newest point up to which every catalog event is known received (-1: unknown); above the staleness bound the cache is bypassed',
      registers,
      collect() {
        const lags = [...sources].map((source) => source.feedLagSeconds() ?? -1);
        this.set(lags.length === 0 ? -1 : Math.max(...lags));
      },
    });
  }

  attach(source: ReadCacheGaugeSource): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  hooks(): {
    lookup(kind: string, outcome: LookupOutcome): void;
    evicted(reason: EvictionReason, count: number): void;
  } {
    // Bound children: a lookup is counted on every read, the label hashing once per pair is enough.
    const children = new Map<string, { inc(): void }>();
    return {
      lookup: (kind, outcome) => {
        const name = `${kind}/${outcome}`;
        let child = children.get(name);
        if (!child) {
          child = this.lookups.labels({ kind, outcome });
          children.set(name, child);
        }
        child.inc();
      },
      evicted: (reason, count) => this.evictions.inc({ reason }, count),
    };
  }
}
