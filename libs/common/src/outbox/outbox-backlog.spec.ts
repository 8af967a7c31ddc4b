import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { OutboxBacklogProbe } from './outbox-backlog';

interface FakePool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max: number };
  queries: number;
  answer?: () => Promise<{ rows: Array<{ events: number; oldestAgeSeconds: number }> }>;
  query(): Promise<{ rows: Array<{ events: number; oldestAgeSeconds: number }> }>;
}

function fakePool(state: Partial<FakePool> = {}): FakePool {
  const pool: FakePool = {
    totalCount: 2,
    idleCount: 1,
    waitingCount: 0,
    options: { max: 5 },
    queries: 0,
    ...state,
    query() {
      pool.queries++;
      return pool.answer ? pool.answer() : Promise.resolve({ rows: [{ events: 4, oldestAgeSeconds: 2.5 }] });
    },
  };
  return pool;
}

/** What pgPoolOf reads: TypeORM's PostgresDriver keeps the pg pool as `master`. */
function dataSourceWith(pool: FakePool): DataSource {
  return { isInitialized: true, driver: { master: pool as unknown as Pool } } as unknown as DataSource;
}

describe(OutboxBacklogProbe.name, () => {
  it('reads the backlog and the age of the oldest event', async () => {
    const sut = new OutboxBacklogProbe('catalog', dataSourceWith(fakePool()));

    await expect(sut.backlog()).resolves.toEqual({ events: 4, oldestAgeSeconds: 2.5 });
  });

  it.each([
    ['callers already wait for a connection', { waitingCount: 1 }],
    ['every connection is in use and the pool is at its size', { totalCount: 5, idleCount: 0 }],
  ])('asks the database nothing while %s: a scrape must not queue behind requests', async (_, state) => {
    const pool = fakePool(state);
    const sut = new OutboxBacklogProbe('catalog', dataSourceWith(pool));

    await expect(sut.backlog()).resolves.toBeUndefined();
    expect(pool.queries).toBe(0);
  });

  it('runs one reading at a time: a scrape during a slow one joins it', async () => {
    let finish: (() => void) | undefined;
    const pool = fakePool({
      answer: () =>
        new Promise((resolve) => {
          finish = () => resolve({ rows: [{ events: 9, oldestAgeSeconds: 1 }] });
        }),
    });
    const sut = new OutboxBacklogProbe('catalog', dataSourceWith(pool));

    const first = sut.backlog();
    const second = sut.backlog();
    finish!();

    await expect(Promise.all([first, second])).resolves.toEqual([
      { events: 9, oldestAgeSeconds: 1 },
      { events: 9, oldestAgeSeconds: 1 },
    ]);
    expect(pool.queries).toBe(1);
  });

  it('has no reading when the database fails, instead of failing the scrape', async () => {
    const pool = fakePool({ answer: () => Promise.reject(new Error('connection terminated')) });
    const sut = new OutboxBacklogProbe('catalog', dataSourceWith(pool));

    await expect(sut.backlog()).resolves.toBeUndefined();
  });

  it('has no reading once the data source is closed', async () => {
    const pool = fakePool();
    const sut = new OutboxBacklogProbe('catalog', { isInitialized: false } as DataSource);

    await expect(sut.backlog()).resolves.toBeUndefined();
    expect(pool.queries).toBe(0);
  });
});
