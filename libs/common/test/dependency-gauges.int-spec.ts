import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { pgPoolOf } from '@app/common/database';
import { TestTokenIssuer } from '@test/support/auth-tokens';
import { CatalogStack, startCatalogStack } from '@test/support/catalog-stack';
import { expectEventually } from '@test/support/expect-eventually';
import { InProcessGateway, startGatewayInProcess } from '@test/support/in-process';
import { queryDatabase } from '@test/support/test-database';

const POOL_SIZE = 2;
const STREAM_MAX_BYTES = 3 * 1024 * 1024;

/** Every sample of `/metrics` whose name and labels match, by its labels; undefined when absent. */
async function sample(baseUrl: string, name: string, label: string): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(label));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

/**
 * The gauges of what Bazaar depends on, read through /metrics of real processes: a catalog replica
 * (its NATS server connection, outbox relay, pool and outbox) and a gateway (its NATS client and
 * read-cache feed), on a private authenticated NATS server and a database of their own.
 */
describe('dependency gauges', () => {
  let catalog: CatalogStack;
  let gateway: InProcessGateway;
  let opsUrl: string;

  const connectionStates = async (names: string[]): Promise<Record<string, number | undefined>> => {
    const entries = await Promise.all(
      names.map(async (name) => [name, await sample(opsUrl, 'bazaar_nats_connection_up', `connection="${name}"`)]),
    );
    return Object.fromEntries(entries);
  };
  const outboxGauges = async (): Promise<{ events?: number; oldestAgeSeconds?: number }> => ({
    events: await sample(opsUrl, 'bazaar_outbox_backlog_events', 'outbox="catalog"'),
    oldestAgeSeconds: await sample(opsUrl, 'bazaar_outbox_oldest_unpublished_age_seconds', 'outbox="catalog"'),
  });
  const poolGauge = (name: string): Promise<number | undefined> => sample(opsUrl, name, 'pool="catalog"');

  beforeAll(async () => {
    catalog = await startCatalogStack('gauges', {
      env: { DB_POOL_SIZE: String(POOL_SIZE), EVENT_STREAM_MAX_BYTES: String(STREAM_MAX_BYTES) },
    });
    opsUrl = catalog.replicas[0].opsUrl;
    const tokens = await TestTokenIssuer.create();
    gateway = await startGatewayInProcess({
      ...catalog.nats.env('gateway'),
      RATE_LIMIT_RPM: '0',
      ...tokens.gatewayEnv(),
    });
    await expectEventually(async () => expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200));
  });

  afterAll(async () => {
    await gateway?.close();
    await catalog?.dispose();
  });

  describe('NATS connections', () => {
    const CONNECTIONS = ['catalog-server', 'catalog-outbox', 'gateway', 'gateway-read-cache'];
    const all = (value: number): Record<string, number> => Object.fromEntries(CONNECTIONS.map((name) => [name, value]));

    it('reports every connection 0 while the server is stopped and 1 once it is back, counting the reconnect', async () => {
      await expectEventually(async () => expect(await connectionStates(CONNECTIONS)).toEqual(all(1)));
      const reconnectsBefore = await sample(gateway.url, 'bazaar_nats_reconnects_total', 'connection="gateway"');

      await catalog.nats.stop();
      await expectEventually(async () => expect(await connectionStates(CONNECTIONS)).toEqual(all(0)));

      await catalog.nats.start();
      await expectEventually(async () => expect(await connectionStates(CONNECTIONS)).toEqual(all(1)), 30_000);
      expect(await sample(gateway.url, 'bazaar_nats_reconnects_total', 'connection="gateway"')).toBe(
        reconnectsBefore! + 1,
      );
    });
  });

  describe('outbox', () => {
    it('counts the events written while NATS is down, with their age, and drops to 0 once they are published', async () => {
      await expectEventually(async () => expect(await outboxGauges()).toEqual({ events: 0, oldestAgeSeconds: 0 }));

      await catalog.nats.stop();
      await expectEventually(async () =>
        expect(await connectionStates(['catalog-outbox'])).toEqual({ 'catalog-outbox': 0 }),
      );
      // What the catalog's writes leave behind while the bus is down: committed events nobody can publish.
      await queryDatabase(
        catalog.database.url,
        `INSERT INTO outbox (id, subject, payload, occurred_at)
         SELECT id, 'catalog.events.stock-changed', jsonb_build_object('id', id), now() - interval '90 seconds'
         FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, 5)) AS ids`,
      );
      await expectEventually(async () => {
        const gauges = await outboxGauges();
        expect(gauges.events).toBe(5);
        expect(gauges.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
      });

      await catalog.nats.start();
      await expectEventually(
        async () => expect(await outboxGauges()).toEqual({ events: 0, oldestAgeSeconds: 0 }),
        30_000,
      );
      expect(await queryDatabase(catalog.database.url, 'SELECT 1 FROM outbox WHERE published_at IS NULL')).toEqual([]);
    });
  });

  describe('event stream', () => {
    it("reports the stream's bytes and messages growing as events are published, against its configured limit", async () => {
      const streamGauge = (name: string): Promise<number | undefined> => sample(opsUrl, name, 'stream="CATALOG"');
      await expectEventually(async () =>
        expect(await streamGauge('bazaar_event_stream_max_bytes')).toBe(STREAM_MAX_BYTES),
      );
      const messagesBefore = (await streamGauge('bazaar_event_stream_messages')) ?? 0;
      const bytesBefore = (await streamGauge('bazaar_event_stream_bytes')) ?? 0;

      await queryDatabase(
        catalog.database.url,
        `INSERT INTO outbox (id, subject, payload, occurred_at)
         SELECT id, 'catalog.events.stock-changed', jsonb_build_object('id', id), now()
         FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, 20)) AS ids`,
      );

      await expectEventually(async () => {
        expect(await streamGauge('bazaar_event_stream_messages')).toBe(messagesBefore + 20);
        expect(await streamGauge('bazaar_event_stream_bytes')).toBeGreaterThan(bytesBefore);
      }, 30_000);
    });
  });

  describe('database pool', () => {
    it('shows callers waiting while every connection is taken, and none once they are returned', async () => {
      const pool = pgPoolOf(catalog.replicas[0].app.get(DataSource));
      const held: PoolClient[] = [];
      for (let i = 0; i < POOL_SIZE; i++) {
        held.push(await pool.connect());
      }
      const queued = pool.query('SELECT $1::text AS marker', [randomUUID()]);
      try {
        await expectEventually(async () => {
          expect(await poolGauge('bazaar_db_pool_waiting_clients')).toBeGreaterThanOrEqual(1);
          expect(await poolGauge('bazaar_db_pool_connections')).toBe(POOL_SIZE);
          expect(await poolGauge('bazaar_db_pool_idle_connections')).toBe(0);
          expect(await poolGauge('bazaar_db_pool_max_connections')).toBe(POOL_SIZE);
        });
        // No outbox sample rather than a stale one: a scrape doesn't queue for a connection (outbox-backlog.spec.ts).
        expect(await outboxGauges()).toEqual({ events: undefined, oldestAgeSeconds: undefined });
      } finally {
        held.forEach((client) => client.release());
      }

      await queued;
      await expectEventually(async () => {
        expect(await poolGauge('bazaar_db_pool_waiting_clients')).toBe(0);
        expect(await poolGauge('bazaar_db_pool_idle_connections')).toBeGreaterThanOrEqual(1);
      });
    });
  });
});
