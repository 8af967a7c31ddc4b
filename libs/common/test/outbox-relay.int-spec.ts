import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { connect } from '@nats-io/transport-node';
import { DataSource } from 'typeorm';
import { OutboxPruner, OutboxRelay } from '@app/common/outbox';
import { OUTBOX_TABLE_UP } from '../src/outbox/outbox.schema';
import { expectEventually } from '@test/support/expect-eventually';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { createTestDatabase, queryDatabase, TestDatabase } from '@test/support/test-database';

const STREAM = { name: 'RELAYTEST', subjects: ['relaytest.>'] };
const LIMITS = { replicas: 1, maxAgeMs: 86_400_000, maxBytes: 64 * 1024 * 1024 };

describe(OutboxRelay.name, () => {
  let nats: PrivateNats;
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: OutboxRelay;

  const append = (count: number): Promise<Array<{ id: string }>> =>
    queryDatabase<{ id: string }>(
      database.url,
      `INSERT INTO outbox (id, subject, payload)
       SELECT id, 'relaytest.happened', jsonb_build_object('id', id, 'type', 'relaytest.happened', 'data', '{}'::jsonb)
       FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, $1::integer)) AS ids RETURNING id`,
      [count],
    );

  const streamMessageIds = async (): Promise<string[]> => {
    const connection = await connect({ servers: nats.url });
    try {
      const manager = await jetstreamManager(connection);
      const { state } = await manager.streams.info(STREAM.name);
      const ids: string[] = [];
      for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
        const message = await manager.streams.getMessage(STREAM.name, { seq });
        ids.push(message?.header?.get('Nats-Msg-Id') ?? '');
      }
      return ids;
    } finally {
      await connection.close();
    }
  };

  beforeAll(async () => {
    // The relay's mechanics on a stream of the test's own: an open bus (the permissions have their own suite).
    nats = await startPrivateNats({ authorization: false });
    database = await createTestDatabase('outbox-relay');
    for (const sql of OUTBOX_TABLE_UP) {
      await queryDatabase(database.url, sql);
    }
    dataSource = new DataSource({ type: 'postgres', url: database.url, synchronize: false });
    await dataSource.initialize();
    // A poll far beyond the test: only nudges make rounds here.
    sut = new OutboxRelay(dataSource, {
      service: 'relaytest',
      bus: nats.bus('auth'),
      stream: STREAM,
      streamLimits: LIMITS,
      pollIntervalMs: 600_000,
      nudgeDelayMs: 100,
    });
    await sut.start();
  });

  afterAll(async () => {
    await sut?.stop();
    await dataSource?.destroy();
    await database?.drop();
    await nats?.stop();
  });

  it('publishes what several nudges ask for in one round, each event once, with its id as Nats-Msg-Id', async () => {
    const written = await append(20);
    for (let i = 0; i < 5; i++) {
      sut.nudge();
    }

    await expectEventually(async () =>
      expect(await queryDatabase(database.url, 'SELECT 1 FROM outbox WHERE published_at IS NULL')).toEqual([]),
    );
    // One round is one transaction: every row it marked carries the same now().
    const rounds = await queryDatabase<{ n: string }>(
      database.url,
      'SELECT count(DISTINCT published_at) AS n FROM outbox',
    );
    expect(Number(rounds[0].n)).toBe(1);
    expect((await streamMessageIds()).sort()).toEqual(written.map((row) => row.id).sort());
  });

  it('republishes nothing when nudged again without new events, and publishes a later event once', async () => {
    const before = await streamMessageIds();
    sut.nudge();
    const [late] = await append(1);
    sut.nudge();

    await expectEventually(async () =>
      expect(await queryDatabase(database.url, 'SELECT 1 FROM outbox WHERE published_at IS NULL')).toEqual([]),
    );
    expect(await streamMessageIds()).toEqual([...before, late.id]);
  });

  it('publishes each row once when two relays (two replicas) publish the same outbox at once', async () => {
    // A plain subscriber sees every publish, duplicates the stream would drop by Nats-Msg-Id included.
    const connection = await nats.connect('auth');
    const published: string[] = [];
    const subscription = connection.subscribe('relaytest.>', {
      callback: (_error, message) => {
        published.push(message.headers?.get('Nats-Msg-Id') ?? '');
      },
    });
    await connection.flush();
    const other = new OutboxRelay(dataSource, {
      service: 'relaytest',
      bus: nats.bus('auth'),
      stream: STREAM,
      streamLimits: LIMITS,
      pollIntervalMs: 600_000,
    });
    try {
      await other.start();
      const written = await append(300);

      const [first, second] = await Promise.all([sut.flush(), other.flush()]);

      expect(first + second).toBe(300);
      await expectEventually(() => expect(published.length).toBeGreaterThanOrEqual(300));
      await connection.flush();
      expect(published.sort()).toEqual(written.map((row) => row.id).sort());
    } finally {
      subscription.unsubscribe();
      await other.stop();
      await connection.close();
    }
  });

  describe('the stream it keeps', () => {
    it('brings an existing stream to the configured limits, discarding the oldest events when full', async () => {
      const name = 'RELAYLIMITS';
      const connection = await nats.connect('auth');
      const manager = await jetstreamManager(connection);
      // As an older release left it: no limits at all.
      await manager.streams.add({ name, subjects: ['relaylimits.>'] });
      const relay = new OutboxRelay(dataSource, {
        service: 'relaylimits',
        bus: nats.bus('auth'),
        stream: { name, subjects: ['relaylimits.>'] },
        streamLimits: { replicas: 1, maxAgeMs: 2 * 86_400_000, maxBytes: 4096 },
        pollIntervalMs: 600_000,
      });
      try {
        await relay.start();
        const { config } = await manager.streams.info(name);
        expect(config).toMatchObject({ max_age: 2 * 86_400 * 1e9, max_bytes: 4096, discard: 'old', num_replicas: 1 });

        // Far more than 4 KiB of events: a full stream drops its oldest, and never refuses the relay.
        const js = jetstream(connection);
        for (let i = 0; i < 60; i++) {
          await js.publish('relaylimits.happened', JSON.stringify({ i, padding: 'x'.repeat(200) }));
        }
        const { state } = await manager.streams.info(name);
        expect(state.bytes).toBeLessThanOrEqual(4096);
        expect(state.first_seq).toBeGreaterThan(1);
        expect(state.last_seq).toBe(60);
      } finally {
        await relay.stop();
        await connection.close();
      }
    });
  });
});

describe(OutboxPruner.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const DAY_MS = 86_400_000;

  /** Rows published `ageMs` ago (null: not published yet); returns their seqs. */
  const rows = async (count: number, ageMs: number | null): Promise<string[]> =>
    (
      await queryDatabase<{ seq: string }>(
        database.url,
        `INSERT INTO outbox (id, subject, payload, published_at)
         SELECT gen_random_uuid(), 'prune.test', '{}'::jsonb,
                CASE WHEN $2::double precision IS NULL THEN NULL ELSE now() - make_interval(secs => $2 / 1000) END
         FROM generate_series(1, $1::integer) RETURNING seq`,
        [count, ageMs],
      )
    ).map((row) => row.seq);
  const remaining = async (seqs: string[]): Promise<number> =>
    Number(
      (
        await queryDatabase<{ n: string }>(
          database.url,
          'SELECT count(*) AS n FROM outbox WHERE seq = ANY($1::bigint[])',
          [seqs],
        )
      )[0].n,
    );

  beforeAll(async () => {
    database = await createTestDatabase('outbox-prune');
    for (const sql of OUTBOX_TABLE_UP) {
      await queryDatabase(database.url, sql);
    }
    dataSource = new DataSource({ type: 'postgres', url: database.url, synchronize: false });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('deletes published rows past the retention, in batches, and nothing else', async () => {
    const expired = await rows(2500, 2 * DAY_MS);
    const recent = await rows(10, 60_000);
    const unpublished = await rows(10, null);
    const sut = new OutboxPruner(dataSource, { retentionMs: DAY_MS, batchSize: 1000 });

    expect(await sut.pruneOnce()).toBe(2500);
    expect(await remaining(expired)).toBe(0);
    expect(await remaining(recent)).toBe(10);
    expect(await remaining(unpublished)).toBe(10);
  });

  it('stops a run after its batch budget and leaves the rest to the next', async () => {
    const expired = await rows(50, 2 * DAY_MS);
    const sut = new OutboxPruner(dataSource, { retentionMs: DAY_MS, batchSize: 10, maxBatchesPerRun: 3 });

    expect(await sut.pruneOnce()).toBe(30);
    expect(await remaining(expired)).toBe(20);
    expect(await sut.pruneOnce()).toBe(20);
  });

  it('never waits for a row another transaction holds: it skips it and deletes the rest', async () => {
    const [held, ...others] = await rows(5, 2 * DAY_MS);
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT seq FROM outbox WHERE seq = $1 FOR UPDATE', [held]);
      const sut = new OutboxPruner(dataSource, { retentionMs: DAY_MS });

      // Without SKIP LOCKED this DELETE would wait on the held row until the holder commits.
      expect(await sut.pruneOnce()).toBe(4);
      expect(await remaining(others)).toBe(0);
      expect(await remaining([held])).toBe(1);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});
