import { ReadCache, ReadCacheLimits, ReadPolicy } from './read-cache';

const SERVE: ReadPolicy = { serve: true, store: true };

/** A read whose answer the test releases, to put invalidations in the middle of it. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface Value {
  v: string;
  tags?: string[];
}

describe(ReadCache.name, () => {
  let now: number;
  let loads: number;
  let evictions: Array<[string, number]>;

  const make = (limits: Partial<ReadCacheLimits> = {}): ReadCache<Value> =>
    new ReadCache<Value>(
      { maxEntries: 100, maxBytes: 1_000_000, ttlMs: 1000, ...limits },
      (value) => ({ bytes: JSON.stringify(value).length, tags: value.tags ?? [] }),
      { evicted: (reason, count) => evictions.push([reason, count]) },
      () => now,
    );
  const loader = (v: string, tags?: string[]) => () => {
    loads++;
    return Promise.resolve({ v, tags });
  };

  beforeEach(() => {
    now = 1_000_000;
    loads = 0;
    evictions = [];
  });

  it('answers a second read of the same key from memory', async () => {
    const sut = make();

    await sut.read('a', 'product', loader('one'), SERVE);
    const second = await sut.read('a', 'product', loader('two'), SERVE);

    expect(second.v).toBe('one');
    expect(loads).toBe(1);
  });

  it('does not keep an answer whose key was invalidated while it was being read (fill race)', async () => {
    const sut = make();
    const slow = deferred<Value>();

    const first = sut.read('a', 'product', () => slow.promise, SERVE);
    sut.invalidateKey('a');
    slow.resolve({ v: 'old' });
    expect((await first).v).toBe('old');
    const next = await sut.read('a', 'product', loader('new'), SERVE);

    expect(next.v).toBe('new');
  });

  it('does not keep a read of a group spoiled by a tag invalidation while in flight', async () => {
    const sut = make();
    const slow = deferred<Value>();

    const first = sut.read('l1', 'list', () => slow.promise, SERVE);
    sut.invalidateTag('in:p1', 'list');
    slow.resolve({ v: 'old', tags: ['in:p1'] });
    await first;

    expect((await sut.read('l1', 'list', loader('new'), SERVE)).v).toBe('new');
  });

  it('does not keep any read in flight across clear()', async () => {
    const sut = make();
    const slow = deferred<Value>();

    const first = sut.read('a', 'product', () => slow.promise, SERVE);
    sut.clear();
    slow.resolve({ v: 'old' });
    await first;

    expect((await sut.read('a', 'product', loader('new'), SERVE)).v).toBe('new');
  });

  it('shares one read among concurrent misses, but not one spoiled by an invalidation', async () => {
    const sut = make();
    const slow = deferred<Value>();

    const first = sut.read('a', 'product', () => slow.promise, SERVE);
    const joined = sut.read('a', 'product', loader('unused'), SERVE);
    sut.invalidateKey('a');
    const afterChange = sut.read('a', 'product', loader('new'), SERVE);
    slow.resolve({ v: 'old' });

    expect([(await first).v, (await joined).v, (await afterChange).v]).toEqual(['old', 'old', 'new']);
    expect(loads).toBe(1);
    expect((await sut.read('a', 'product', loader('later'), SERVE)).v).toBe('new');
  });

  it('never keeps an error: the next read asks again', async () => {
    const sut = make();

    await expect(sut.read('a', 'product', () => Promise.reject(new Error('not found')), SERVE)).rejects.toThrow(
      'not found',
    );

    expect((await sut.read('a', 'product', loader('now'), SERVE)).v).toBe('now');
  });

  it('drops entries tagged by an invalidated tag and keeps the others', async () => {
    const sut = make();
    await sut.read('l1', 'list', loader('page1', ['in:p1', 'in:p2']), SERVE);
    await sut.read('l2', 'list', loader('page2', ['in:p3']), SERVE);

    sut.invalidateTag('in:p2', 'list');

    expect((await sut.read('l1', 'list', loader('page1b'), SERVE)).v).toBe('page1b');
    expect((await sut.read('l2', 'list', loader('page2b'), SERVE)).v).toBe('page2');
  });

  it('expires an entry after the TTL however often it is read (backstop for a lost event)', async () => {
    const sut = make({ ttlMs: 1000 });
    await sut.read('a', 'product', loader('old'), SERVE);

    now += 1000;
    expect((await sut.read('a', 'product', loader('x'), SERVE)).v).toBe('old');
    now += 1;
    expect((await sut.read('a', 'product', loader('new'), SERVE)).v).toBe('new');
    expect(evictions).toEqual([['ttl', 1]]);
  });

  it('counts the age from the start of the read, not its end', async () => {
    const sut = make({ ttlMs: 1000 });
    const slow = deferred<Value>();
    const first = sut.read('a', 'product', () => slow.promise, SERVE);
    now += 800;
    slow.resolve({ v: 'old' });
    await first;

    now += 201;

    expect((await sut.read('a', 'product', loader('new'), SERVE)).v).toBe('new');
  });

  it('evicts the least recently used entry beyond the entry bound', async () => {
    const sut = make({ maxEntries: 2 });
    await sut.read('a', 'product', loader('a'), SERVE);
    await sut.read('b', 'product', loader('b'), SERVE);
    await sut.read('a', 'product', loader('a2'), SERVE); // a is now the most recently used

    await sut.read('c', 'product', loader('c'), SERVE);

    expect(sut.size).toBe(2);
    expect((await sut.read('a', 'product', loader('a3'), SERVE)).v).toBe('a');
    expect((await sut.read('b', 'product', loader('b2'), SERVE)).v).toBe('b2');
    expect(evictions).toContainEqual(['lru', 1]);
  });

  it('evicts beyond the byte bound and never keeps a value larger than it', async () => {
    const sut = make({ maxBytes: 30 });
    await sut.read('a', 'product', loader('aaaa'), SERVE); // {"v":"aaaa"} = 12 bytes
    await sut.read('b', 'product', loader('bbbb'), SERVE);
    await sut.read('c', 'product', loader('cccc'), SERVE);
    await sut.read('big', 'product', loader('x'.repeat(40)), SERVE);

    expect(sut.bytes).toBeLessThanOrEqual(30);
    expect(sut.size).toBe(2);
    expect((await sut.read('big', 'product', loader('y'), SERVE)).v).toBe('y');
  });

  it('neither answers from nor fills the cache when the policy says so', async () => {
    const sut = make();
    await sut.read('a', 'product', loader('cached'), SERVE);

    const bypassed = await sut.read('a', 'product', loader('live'), { serve: false, store: false });
    const stored = await sut.read('b', 'product', loader('b'), { serve: false, store: true });

    expect([bypassed.v, stored.v]).toEqual(['live', 'b']);
    expect((await sut.read('a', 'product', loader('z'), SERVE)).v).toBe('cached');
    expect((await sut.read('b', 'product', loader('z'), SERVE)).v).toBe('b');
  });

  it('reports each lookup by group: miss, hit, coalesced and bypass', async () => {
    const lookups: Array<[string, string]> = [];
    const sut = new ReadCache<Value>(
      { maxEntries: 100, maxBytes: 1_000_000, ttlMs: 1000 },
      () => ({ bytes: 1, tags: [] }),
      { lookup: (group, outcome) => lookups.push([group, outcome]) },
      () => now,
    );
    const slow = deferred<Value>();

    const first = sut.read('a', 'product', () => slow.promise, SERVE);
    const joined = sut.read('a', 'product', loader('unused'), SERVE);
    slow.resolve({ v: 'one' });
    await Promise.all([first, joined]);
    await sut.read('a', 'product', loader('unused'), SERVE);
    await sut.read('l', 'list', loader('live'), { serve: false, store: false });

    expect(lookups).toEqual([
      ['product', 'miss'],
      ['product', 'coalesced'],
      ['product', 'hit'],
      ['list', 'bypass'],
    ]);
  });

  it('answers a miss without keeping it when the policy serves but does not store', async () => {
    const sut = make();

    expect((await sut.read('a', 'product', loader('one'), { serve: true, store: false })).v).toBe('one');

    expect(sut.size).toBe(0);
    expect((await sut.read('a', 'product', loader('two'), SERVE)).v).toBe('two');
  });

  it('counts the bytes of what it keeps, once per key, and gives them back when entries go', async () => {
    const sut = make({ ttlMs: 1000 });
    await sut.read('a', 'product', loader('aaaa'), SERVE); // {"v":"aaaa"} = 12 bytes
    await sut.read('b', 'product', loader('bb'), SERVE); // 10 bytes
    await sut.read('a', 'product', loader('aaaaaa'), { serve: false, store: true }); // refilled: 14 bytes

    expect([sut.size, sut.bytes]).toEqual([2, 24]);
    sut.invalidateKey('b');
    expect([sut.size, sut.bytes]).toEqual([1, 14]);
    now += 1001;
    await sut.read('a', 'product', loader('a'), { serve: true, store: false });
    expect([sut.size, sut.bytes]).toEqual([0, 0]);
    await sut.read('c', 'product', loader('cc'), SERVE);
    sut.clear();
    expect([sut.size, sut.bytes]).toEqual([0, 0]);
  });

  it('reports every entry one fill evicts, in one count', async () => {
    const sut = make({ maxBytes: 40 });
    await sut.read('a', 'product', loader('aaaa'), SERVE); // 12 bytes
    await sut.read('b', 'product', loader('bbbb'), SERVE); // 12 bytes
    await sut.read('c', 'product', loader('cccc'), SERVE); // 12 bytes

    await sut.read('d', 'product', loader('d'.repeat(24)), SERVE); // 32 bytes: a and b, and c, must go

    expect(evictions).toEqual([['lru', 3]]);
    expect([sut.size, sut.bytes]).toEqual([1, 32]);
  });

  it('keeps an entry up to exactly the entry and byte bounds', async () => {
    const sut = make({ maxEntries: 2, maxBytes: 24 });
    await sut.read('a', 'product', loader('aaaa'), SERVE); // 12 bytes
    await sut.read('b', 'product', loader('bbbb'), SERVE); // 12 bytes

    expect([sut.size, sut.bytes]).toEqual([2, 24]);
    expect(evictions).toEqual([]);
    await sut.read('big', 'product', loader('x'.repeat(16)), SERVE); // 24 bytes: the whole bound
    expect([sut.size, sut.bytes]).toEqual([1, 24]);
  });

  it('forgets the tags of an entry that was replaced, so they no longer reach it', async () => {
    const sut = make();
    await sut.read('l1', 'list', loader('page1', ['in:p1']), SERVE);
    sut.invalidateKey('l1');
    await sut.read('l1', 'list', loader('page1b', ['in:p2']), SERVE);

    sut.invalidateTag('in:p1', 'list');

    expect((await sut.read('l1', 'list', loader('page1c'), SERVE)).v).toBe('page1b');
  });

  it('spoils the reads in flight of the invalidated group only', async () => {
    const sut = make();
    const product = deferred<Value>();
    const list = deferred<Value>();

    const productRead = sut.read('p', 'product', () => product.promise, SERVE);
    const listRead = sut.read('l', 'list', () => list.promise, SERVE);
    sut.invalidateTag('in:p9', 'list');
    product.resolve({ v: 'p-old' });
    list.resolve({ v: 'l-old' });
    await Promise.all([productRead, listRead]);

    expect((await sut.read('p', 'product', loader('p-new'), SERVE)).v).toBe('p-old');
    expect((await sut.read('l', 'list', loader('l-new'), SERVE)).v).toBe('l-new');
  });

  it('lets later misses join the read that replaced a spoiled one, even after the spoiled one ends', async () => {
    const sut = make();
    const spoiled = deferred<Value>();
    const fresh = deferred<Value>();

    const first = sut.read('a', 'product', () => spoiled.promise, SERVE);
    sut.invalidateKey('a');
    const second = sut.read('a', 'product', () => fresh.promise, SERVE);
    spoiled.resolve({ v: 'old' });
    await first;
    const third = sut.read('a', 'product', loader('third'), SERVE);
    fresh.resolve({ v: 'new' });

    expect([(await second).v, (await third).v]).toEqual(['new', 'new']);
    expect(loads).toBe(0);
  });

  it('lets later misses join the read that replaced a failed one', async () => {
    const sut = make();
    const failing = deferred<Value>();
    const fresh = deferred<Value>();

    const first = sut.read('a', 'product', () => failing.promise, SERVE);
    sut.invalidateKey('a');
    const second = sut.read('a', 'product', () => fresh.promise, SERVE);
    failing.reject(new Error('down'));
    await expect(first).rejects.toThrow('down');
    const third = sut.read('a', 'product', loader('third'), SERVE);
    fresh.resolve({ v: 'new' });

    expect([(await second).v, (await third).v]).toEqual(['new', 'new']);
    expect(loads).toBe(0);
  });

  it('drops every entry of a shared tag, however many carry it', async () => {
    const sut = make();
    await sut.read('l1', 'list', loader('page1', ['in:p1']), SERVE);
    await sut.read('l2', 'list', loader('page2', ['in:p1']), SERVE);
    await sut.read('l3', 'list', loader('page3', ['in:p2']), SERVE);

    sut.invalidateTag('in:p1', 'list');

    expect(sut.size).toBe(1);
    expect((await sut.read('l1', 'list', loader('page1b'), SERVE)).v).toBe('page1b');
    expect((await sut.read('l2', 'list', loader('page2b'), SERVE)).v).toBe('page2b');
  });

  it('forgets every tag on clear(), so an old tag no longer reaches an entry filled after it', async () => {
    const sut = make();
    await sut.read('l1', 'list', loader('page1', ['in:p1']), SERVE);
    sut.clear();
    await sut.read('l1', 'list', loader('page1b', ['in:p2']), SERVE);

    sut.invalidateTag('in:p1', 'list');

    expect((await sut.read('l1', 'list', loader('page1c'), SERVE)).v).toBe('page1b');
  });

  it('works without hooks: expiry and eviction report to nobody', async () => {
    const sut = new ReadCache<Value>(
      { maxEntries: 1, maxBytes: 1_000_000, ttlMs: 1000 },
      () => ({ bytes: 1, tags: [] }),
      undefined,
      () => now,
    );
    await sut.read('a', 'product', loader('a'), SERVE);
    await sut.read('b', 'product', loader('b'), SERVE);
    now += 1001;

    expect((await sut.read('b', 'product', loader('b2'), SERVE)).v).toBe('b2');
    expect((await sut.read('c', 'product', loader('c'), { serve: false, store: false })).v).toBe('c');
  });

  it('still reaches the other entries of a tag after one of them is dropped', async () => {
    const sut = make();
    await sut.read('l1', 'list', loader('page1', ['in:p1']), SERVE);
    await sut.read('l2', 'list', loader('page2', ['in:p1']), SERVE);
    sut.invalidateKey('l1');

    sut.invalidateTag('in:p1', 'list');

    expect(sut.size).toBe(0);
  });

  it('copes with an entry that carries the same tag twice', async () => {
    const sut = make();
    await sut.read('l1', 'list', loader('page1', ['in:p1', 'in:p1']), SERVE);

    sut.invalidateKey('l1');
    await sut.read('l1', 'list', loader('page1b', ['in:p1', 'in:p1']), SERVE);
    sut.invalidateTag('in:p1', 'list');

    expect(sut.size).toBe(0);
  });

  it('keeps no tag of an entry that is gone (the tag index is bounded like the entries)', async () => {
    const sut = make({ maxEntries: 1 });
    // The one structure the entry and byte bounds don't cover directly: a leak here is invisible
    // to every read, so the spec looks at it.
    const tagsIndexed = (): number => sut['keysByTag'].size;
    await sut.read('l1', 'list', loader('page1', ['in:p1', 'in:p2']), SERVE);
    await sut.read('l2', 'list', loader('page2', ['in:p3']), SERVE); // evicts l1
    expect(tagsIndexed()).toBe(1);

    sut.invalidateKey('l2');
    expect(tagsIndexed()).toBe(0);
  });
});
