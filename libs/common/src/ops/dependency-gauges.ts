import { Counter, Gauge, Registry } from 'prom-client';

/** One NATS connection of the process, named as it names itself to the server (`catalog-outbox`). */
export interface NatsConnectionProbe {
  readonly connectionName: string;
  isConnected(): boolean;
  /** Times it came back after losing the server, since it was made. */
  reconnectCount(): number;
}

export interface PoolStats {
  /** Open connections, idle and in use. */
  total: number;
  idle: number;
  /** Callers queued for a connection: every connection is in use and the pool is at its size. */
  waiting: number;
  max: number;
}

/** A database pool of the process (`pool` label: the service whose database it is). */
export interface PoolProbe {
  readonly poolName: string;
  /** Undefined once the pool is closed. */
  stats(): PoolStats | undefined;
}

/** The backlog count stops here, so its query's cost is bounded however far behind the relay is. */
export const OUTBOX_BACKLOG_CAP = 10_000;

export interface OutboxBacklog {
  /** Unpublished events, counted up to OUTBOX_BACKLOG_CAP (a larger backlog reads as the cap). */
  events: number;
  /** Age of the oldest unpublished event; 0 when there is none. */
  oldestAgeSeconds: number;
}

/** An outbox table (`outbox` label: the service whose outbox it is). */
export interface OutboxProbe {
  readonly outboxName: string;
  /** Undefined when it can't be read cheaply now: that scrape has no sample for it. */
  backlog(): Promise<OutboxBacklog | undefined>;
}

export interface StreamUsage {
  bytes: number;
  messages: number;
  /** The stream's byte limit (EVENT_STREAM_MAX_BYTES as applied); at it, the oldest events go. */
  maxBytes: number;
}

/** A JetStream stream the process manages (`stream` label: its name, e.g. ORDERS). */
export interface StreamProbe {
  readonly streamName: string;
  /** Undefined while the bus or the stream can't be read: that scrape has no sample for it. */
  usage(): Promise<StreamUsage | undefined>;
}

/** Probes of one kind that the gauges read at scrape time; owners attach theirs and detach on close. */
export class ProbeSet<T> {
  private readonly probes = new Set<T>();

  attach(probe: T): () => void {
    this.probes.add(probe);
    return () => this.probes.delete(probe);
  }

  all(): T[] {
    return [...this.probes];
  }
}

/** Several probes may share a name (two replicas in one test process): combine them per name. */
function byName<T>(probes: T[], nameOf: (probe: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const probe of probes) {
    const name = nameOf(probe);
    groups.set(name, [...(groups.get(name) ?? []), probe]);
  }
  return groups;
}

/**
 * Gauges of what the process depends on: its NATS connections, database pools and outboxes. All
 * are collected when Prometheus scrapes (prom-client's `collect`), never on a timer or per request;
 * the NATS and pool gauges read counters their owners keep anyway, the outbox one runs one bounded
 * query per outbox (outbox-backlog.ts says what it costs).
 */
export class DependencyGauges {
  readonly natsConnections = new ProbeSet<NatsConnectionProbe>();
  readonly pools = new ProbeSet<PoolProbe>();
  readonly outboxes = new ProbeSet<OutboxProbe>();
  readonly streams = new ProbeSet<StreamProbe>();

  constructor(registry: Registry) {
    this.registerNatsGauges(registry);
    this.registerPoolGauges(registry);
    this.registerOutboxGauges(registry);
    this.registerStreamGauges(registry);
  }

  private registerStreamGauges(registry: Registry): void {
    // One stream info request per stream and scrape, shared by the three gauges (as for the outbox).
    let reading: Promise<Map<string, StreamUsage>> | undefined;
    const read = (): Promise<Map<string, StreamUsage>> => {
      reading ??= Promise.all(
        [...byName(this.streams.all(), (probe) => probe.streamName)].map(async ([name, probes]) => {
          // Replicas in one process (tests) read the same stream: the first answer will do.
          for (const probe of probes) {
            const usage = await probe.usage();
            if (usage) {
              return [name, usage] as const;
            }
          }
          return undefined;
        }),
      )
        .then((pairs) => new Map(pairs.filter((pair) => pair !== undefined)))
        .finally(() => {
          reading = undefined;
        });
      return reading;
    };
    const streamGauge = (name: string, help: string, value: (usage: StreamUsage) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['stream'] as const,
        registers: [registry],
        async collect() {
          const usages = await read();
          this.reset();
          for (const [stream, usage] of usages) {
            this.set({ stream }, value(usage));
          }
        },
      });
    };
    streamGauge('bazaar_event_stream_bytes', 'Bytes the event stream holds now', (usage) => usage.bytes);
    streamGauge(
      'bazaar_event_stream_max_bytes',
      'Byte limit of the event stream (EVENT_STREAM_MAX_BYTES); at it, the oldest events are discarded',
      (usage) => usage.maxBytes,
    );
    streamGauge('bazaar_event_stream_messages', 'Events the event stream holds now', (usage) => usage.messages);
  }

  private registerNatsGauges(registry: Registry): void {
    const connections = this.natsConnections;
    new Gauge({
      name: 'bazaar_nats_connection_up',
      help: '1 while the NATS connection is connected, 0 while it is down or reconnecting, by connection name',
      labelNames: ['connection'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [name, probes] of byName(connections.all(), (probe) => probe.connectionName)) {
          this.set({ connection: name }, probes.every((probe) => probe.isConnected()) ? 1 : 0);
        }
      },
    });
    new Counter({
      name: 'bazaar_nats_reconnects_total',
      help: 'Times the NATS connection came back after losing its server, by connection name',
      labelNames: ['connection'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [name, probes] of byName(connections.all(), (probe) => probe.connectionName)) {
          this.inc(
            { connection: name },
            probes.reduce((sum, probe) => sum + probe.reconnectCount(), 0),
          );
        }
      },
    });
  }

  private registerPoolGauges(registry: Registry): void {
    const pools = this.pools;
    const poolGauge = (name: string, help: string, read: (stats: PoolStats) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['pool'] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const [pool, probes] of byName(pools.all(), (probe) => probe.poolName)) {
            const stats = probes.map((probe) => probe.stats()).filter((s): s is PoolStats => s !== undefined);
            if (stats.length > 0) {
              this.set(
                { pool },
                stats.reduce((sum, s) => sum + read(s), 0),
              );
            }
          }
        },
      });
    };
    poolGauge('bazaar_db_pool_connections', 'Open connections of the database pool, idle and in use', (s) => s.total);
    poolGauge('bazaar_db_pool_idle_connections', 'Idle connections of the database pool', (s) => s.idle);
    poolGauge(
      'bazaar_db_pool_waiting_clients',
      'Queries waiting for a connection because every one is in use and the pool is at its size',
      (s) => s.waiting,
    );
    poolGauge('bazaar_db_pool_max_connections', 'Size of the database pool (DB_POOL_SIZE)', (s) => s.max);
  }

  private registerOutboxGauges(registry: Registry): void {
    // Both gauges come from one query per outbox: the collects of one scrape start in the same
    // tick (prom-client gets every metric at once), so the second joins the reading in flight.
    let reading: Promise<Array<readonly [string, OutboxBacklog | undefined]>> | undefined;
    const read = (): Promise<Array<readonly [string, OutboxBacklog | undefined]>> => {
      reading ??= Promise.all(
        this.outboxes.all().map(async (probe) => [probe.outboxName, await probe.backlog()] as const),
      ).finally(() => {
        reading = undefined;
      });
      return reading;
    };
    const outboxGauge = (name: string, help: string, value: (backlog: OutboxBacklog) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['outbox'] as const,
        registers: [registry],
        async collect() {
          const readings = await read();
          // Reset after the await: two scrapes at once can't interleave one's reset with the other's sets.
          this.reset();
          for (const [outbox, backlog] of readings) {
            if (backlog) {
              this.set({ outbox }, value(backlog));
            }
          }
        },
      });
    };
    outboxGauge(
      'bazaar_outbox_backlog_events',
      `Events in the outbox not yet published to JetStream, counted up to ${OUTBOX_BACKLOG_CAP} (every replica reads the same table)`,
      (backlog) => backlog.events,
    );
    outboxGauge(
      'bazaar_outbox_oldest_unpublished_age_seconds',
      'Age of the oldest event in the outbox not yet published to JetStream; 0 when none is waiting',
      (backlog) => backlog.oldestAgeSeconds,
    );
  }
}
