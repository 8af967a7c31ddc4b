export interface ReadCacheLimits {
  /** Most entries kept; the least recently used go first. */
  maxEntries: number;
  /** Most bytes (JSON length of the values) kept; the least recently used go first. */
  maxBytes: number;
  /** Age (from the start of the read that filled it) after which an entry is never served. */
  ttlMs: number;
}

/** What a value costs and which tags can invalidate it besides its key. */
export interface CachedShape {
  bytes: number;
  tags: readonly string[];
}

export type LookupOutcome = 'hit' | 'miss' | 'coalesced' | 'bypass';
export type EvictionReason = 'lru' | 'ttl';

export interface ReadCacheHooks {
  lookup?(group: string, outcome: LookupOutcome): void;
  evicted?(reason: EvictionReason, count: number): void;
}

/** Whether the caller may answer from the cache and whether it may keep what it reads now. */
export interface ReadPolicy {
  serve: boolean;
  store: boolean;
}

interface Entry<V> {
  value: V;
  bytes: number;
  tags: readonly string[];
  /** When the read that produced it started: its age counts from before the data was read. */
  readStartedAt: number;
}

/** A read in flight; an invalidation that concerns it while it runs marks it, and it is not kept. */
interface Fill<V> {
  group: string;
  promise: Promise<V>;
  invalidated: boolean;
}

/**
 * An in-memory LRU of read results, bounded by entries and bytes, with a TTL and invalidation by
 * key, by tag, by group of in-flight reads, or of everything.
 *
 * The fill race: a read that misses starts a fill; if an invalidation concerning the key arrives
 * while the fill is in flight, the answer may predate the change, so it is returned to its caller
 * but not kept, and later callers start a fresh read instead of joining it. Concurrent misses on
 * the same key share one read (single flight).
 */
export class ReadCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly keysByTag = new Map<string, Set<string>>();
  private readonly fills = new Map<string, Fill<V>>();
  private totalBytes = 0;

  constructor(
    private readonly limits: ReadCacheLimits,
    private readonly shape: (value: V) => CachedShape,
    private readonly hooks: ReadCacheHooks = {},
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** `group` names the kind of read (for metrics and for invalidating in-flight reads of a kind). */
  read(key: string, group: string, load: () => Promise<V>, policy: ReadPolicy): Promise<V> {
    if (!policy.serve) {
      this.hooks.lookup?.(group, 'bypass');
      return policy.store ? this.fill(key, group, load) : load();
    }
    const cached = this.lookup(key);
    if (cached !== undefined) {
      this.hooks.lookup?.(group, 'hit');
      return Promise.resolve(cached);
    }
    const inFlight = this.fills.get(key);
    if (inFlight && !inFlight.invalidated) {
      this.hooks.lookup?.(group, 'coalesced');
      return inFlight.promise;
    }
    this.hooks.lookup?.(group, 'miss');
    return policy.store ? this.fill(key, group, load) : load();
  }

  /** Drops the entry of `key` and spoils its read in flight. */
  invalidateKey(key: string): void {
    this.delete(key);
    const fill = this.fills.get(key);
    if (fill) {
      fill.invalidated = true;
    }
  }

  /** Drops every entry tagged `tag`; spoils every read in flight of `group`, whose tags are unknown yet. */
  invalidateTag(tag: string, group: string): void {
    const keys = this.keysByTag.get(tag);
    if (keys) {
      for (const key of [...keys]) {
        this.delete(key);
      }
    }
    this.spoilGroup(group);
  }

  /** Drops everything and spoils every read in flight. */
  clear(): void {
    this.entries.clear();
    this.keysByTag.clear();
    this.totalBytes = 0;
    for (const fill of this.fills.values()) {
      fill.invalidated = true;
    }
  }

  private spoilGroup(group: string): void {
    for (const fill of this.fills.values()) {
      if (fill.group === group) {
        fill.invalidated = true;
      }
    }
  }

  private lookup(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (this.clock() - entry.readStartedAt > this.limits.ttlMs) {
      this.delete(key);
      this.hooks.evicted?.('ttl', 1);
      return undefined;
    }
    // Map order is insertion order: re-inserting makes it the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  private fill(key: string, group: string, load: () => Promise<V>): Promise<V> {
    const readStartedAt = this.clock();
    const fill: Fill<V> = { group, invalidated: false, promise: undefined as unknown as Promise<V> };
    fill.promise = load().then(
      (value) => {
        this.settle(key, fill);
        if (!fill.invalidated) {
          this.store(key, value, readStartedAt);
        }
        return value;
      },
      (error: unknown) => {
        // Errors are never kept: the next caller asks again.
        this.settle(key, fill);
        throw error;
      },
    );
    this.fills.set(key, fill);
    return fill.promise;
  }

  private settle(key: string, fill: Fill<V>): void {
    if (this.fills.get(key) === fill) {
      this.fills.delete(key);
    }
  }

  private store(key: string, value: V, readStartedAt: number): void {
    const { bytes, tags } = this.shape(value);
    if (bytes > this.limits.maxBytes) {
      return;
    }
    this.delete(key);
    this.entries.set(key, { value, bytes, tags, readStartedAt });
    this.totalBytes += bytes;
    for (const tag of tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) {
        keys = new Set();
        this.keysByTag.set(tag, keys);
      }
      keys.add(key);
    }
    let evicted = 0;
    while (this.entries.size > this.limits.maxEntries || this.totalBytes > this.limits.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
      evicted++;
    }
    if (evicted > 0) {
      this.hooks.evicted?.('lru', evicted);
    }
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) {
      return;
    }
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) {
        this.keysByTag.delete(tag);
      }
    }
  }
}
