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
});
