import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@app/common';
import { OUTBOX_TABLE_UP } from '../src/outbox/outbox.schema';
import { expectEventually } from '@test/support/expect-eventually';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { createTestDatabase, queryDatabase, TestDatabase } from '@test/support/test-database';

const STREAM = { name: 'RELAYTEST', subjects: ['relaytest.>'] };

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
});
