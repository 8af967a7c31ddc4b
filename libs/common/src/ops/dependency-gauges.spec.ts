import { Registry } from 'prom-client';
import { DependencyGauges, NatsConnectionProbe, OutboxBacklog, PoolStats, StreamUsage } from './dependency-gauges';

function nats(connectionName: string, up: boolean, reconnects = 0): NatsConnectionProbe {
  return { connectionName, isConnected: () => up, reconnectCount: () => reconnects };
}

/** The exposition lines of one metric family, without its HELP and TYPE lines. */
async function samples(registry: Registry, name: string): Promise<string[]> {
  const text = await registry.metrics();
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe(DependencyGauges.name, () => {
  let registry: Registry;
  let sut: DependencyGauges;

  beforeEach(() => {
    registry = new Registry();
    sut = new DependencyGauges(registry);
  });

  describe('NATS connections', () => {
    it('reports each connection up or down, and its reconnects, by name', async () => {
      sut.natsConnections.attach(nats('catalog-server', true, 2));
      sut.natsConnections.attach(nats('catalog-outbox', false));

      expect(await samples(registry, 'bazaar_nats_connection_up')).toEqual([
        'bazaar_nats_connection_up{connection="catalog-server"} 1',
        'bazaar_nats_connection_up{connection="catalog-outbox"} 0',
      ]);
      expect(await samples(registry, 'bazaar_nats_reconnects_total')).toEqual([
        'bazaar_nats_reconnects_total{connection="catalog-server"} 2',
        'bazaar_nats_reconnects_total{connection="catalog-outbox"} 0',
      ]);
    });

    it('reports a name down while any connection of that name is down (two replicas in one process)', async () => {
      sut.natsConnections.attach(nats('probe-server', true, 1));
      sut.natsConnections.attach(nats('probe-server', false, 1));

      expect(await samples(registry, 'bazaar_nats_connection_up')).toEqual([
        'bazaar_nats_connection_up{connection="probe-server"} 0',
      ]);
      expect(await samples(registry, 'bazaar_nats_reconnects_total')).toEqual([
        'bazaar_nats_reconnects_total{connection="probe-server"} 2',
      ]);
    });

    it('forgets a connection once its owner detaches it', async () => {
      const detach = sut.natsConnections.attach(nats('gateway', true));
      expect(await samples(registry, 'bazaar_nats_connection_up')).toHaveLength(1);

      detach();

      expect(await samples(registry, 'bazaar_nats_connection_up')).toEqual([]);
    });
  });

  describe('database pools', () => {
    it('reports open, idle, waiting and maximum connections per pool', async () => {
      const stats: PoolStats = { total: 5, idle: 0, waiting: 3, max: 5 };
      sut.pools.attach({ poolName: 'orders', stats: () => stats });

      expect([
        ...(await samples(registry, 'bazaar_db_pool_connections')),
        ...(await samples(registry, 'bazaar_db_pool_idle_connections')),
        ...(await samples(registry, 'bazaar_db_pool_waiting_clients')),
        ...(await samples(registry, 'bazaar_db_pool_max_connections')),
      ]).toEqual([
        'bazaar_db_pool_connections{pool="orders"} 5',
        'bazaar_db_pool_idle_connections{pool="orders"} 0',
        'bazaar_db_pool_waiting_clients{pool="orders"} 3',
        'bazaar_db_pool_max_connections{pool="orders"} 5',
      ]);
    });

    it('has no sample for a pool that is closed', async () => {
      sut.pools.attach({ poolName: 'orders', stats: () => undefined });

      expect(await samples(registry, 'bazaar_db_pool_waiting_clients')).toEqual([]);
    });
  });

  describe('outboxes', () => {
    it('reads each outbox once per scrape for both of its gauges', async () => {
      let readings = 0;
      sut.outboxes.attach({
        outboxName: 'catalog',
        backlog: (): Promise<OutboxBacklog> => {
          readings++;
          return Promise.resolve({ events: 42, oldestAgeSeconds: 7.5 });
        },
      });

      const text = await registry.metrics();

      expect(readings).toBe(1);
      expect(text).toContain('bazaar_outbox_backlog_events{outbox="catalog"} 42');
      expect(text).toContain('bazaar_outbox_oldest_unpublished_age_seconds{outbox="catalog"} 7.5');
    });

    it('has no sample for an outbox it could not read this time, rather than a stale one', async () => {
      let next: OutboxBacklog | undefined = { events: 3, oldestAgeSeconds: 1 };
      sut.outboxes.attach({ outboxName: 'orders', backlog: () => Promise.resolve(next) });
      expect(await samples(registry, 'bazaar_outbox_backlog_events')).toHaveLength(1);

      next = undefined;

      expect(await samples(registry, 'bazaar_outbox_backlog_events')).toEqual([]);
      expect(await samples(registry, 'bazaar_outbox_oldest_unpublished_age_seconds')).toEqual([]);
    });
  });

  describe('event streams', () => {
    it('reports bytes, messages and the byte limit, from one reading per stream and scrape', async () => {
      let reads = 0;
      const usage: StreamUsage = { bytes: 900, messages: 12, maxBytes: 1000 };
      sut.streams.attach({
        streamName: 'ORDERS',
        usage: () => {
          reads++;
          return Promise.resolve(usage);
        },
      });

      const text = await registry.metrics();

      expect(reads).toBe(1);
      expect(text).toContain('bazaar_event_stream_bytes{stream="ORDERS"} 900');
      expect(text).toContain('bazaar_event_stream_messages{stream="ORDERS"} 12');
      expect(text).toContain('bazaar_event_stream_max_bytes{stream="ORDERS"} 1000');
    });

    it('takes the first replica that can read a stream, and has no sample when none can', async () => {
      let second: StreamUsage | undefined = { bytes: 5, messages: 1, maxBytes: 10 };
      sut.streams.attach({ streamName: 'CATALOG', usage: () => Promise.resolve(undefined) });
      sut.streams.attach({ streamName: 'CATALOG', usage: () => Promise.resolve(second) });
      expect(await samples(registry, 'bazaar_event_stream_bytes')).toEqual([
        'bazaar_event_stream_bytes{stream="CATALOG"} 5',
      ]);

      second = undefined;

      expect(await samples(registry, 'bazaar_event_stream_bytes')).toEqual([]);
    });
  });
});
