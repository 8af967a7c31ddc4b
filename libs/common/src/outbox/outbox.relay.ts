import { Logger } from '@nestjs/common';
import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError, JetStreamClient } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PreparedQuery, useGenericPlans } from '../database/sql';
import { BusConnection, natsConnectionOptions } from '../messaging/nats-connection-options';
import { EventRetention, streamConfigOf } from './event-retention';
import { NatsConnectionState } from '../messaging/nats-connection-state';
import type { NatsConnectionProbe, StreamProbe, StreamUsage } from '../ops/dependency-gauges';

export interface OutboxStream {
  /** JetStream stream name, e.g. `ORDERS`. */
  name: string;
  /** Subjects it captures, e.g. `orders.events.>`. */
  subjects: string[];
}

export interface OutboxRelaySettings {
  service: string;
  bus: BusConnection;
  stream: OutboxStream;
  /** The stream's replicas and limits, applied when it is created and at every start. */
  streamLimits: EventRetention['stream'];
  /** How often to look for unpublished events when nothing nudged the relay. */
  pollIntervalMs?: number;
  batchSize?: number;
  /**
   * How long a nudge waits before its round, so the events of the writes around it share one
   * batch (one transaction, one commit, one UPDATE) instead of one round each under load.
   */
  nudgeDelayMs?: number;
  /**
   * When set, after every round that emptied the outbox the relay publishes an {@link OutboxHeartbeat}
   * on this core-NATS subject (not captured by the stream), so consumers can tell how far behind
   * the event feed can be (the gateway's read cache serves entries only while it is recent).
   */
  heartbeatSubject?: string;
}

/**
 * "Every event of a transaction that committed before `caughtUpAt` has been published (or is being
 * published by the relay of another replica, whose own heartbeat is older)." Published after the
 * events, on the same connection, so a subscriber receives those events before it.
 */
export interface OutboxHeartbeat {
  /** Identifies one relay (one per replica), so a consumer can take the oldest of them. */
  relay: string;
  /** Wall-clock ms (Date.now()) just before the SELECT of the round's last batch. */
  caughtUpAt: number;
  /** Sent once by a relay that is stopping: forget it instead of waiting for it to fall silent. */
  closing?: boolean;
}

/** Heartbeats are at most this often, however busy the relay is. */
const HEARTBEAT_MIN_INTERVAL_MS = 50;

const DEFAULT_NUDGE_DELAY_MS = 10;

interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  payload: unknown;
}

/**
 * Publishes committed outbox rows to JetStream, at least once, with `Nats-Msg-Id` = event id so
 * the stream drops the duplicates a crash between "published" and "marked" would cause. Rows are
 * claimed with `FOR UPDATE SKIP LOCKED`, so every replica can run a relay and none publishes a row
 * another is publishing. If NATS or the database is down, the batch rolls back and is retried.
 */
// Prepared (PreparedQuery) and run on their generic plans (useGenericPlans): every relay round of
// every service runs them.
const CLAIM_UNPUBLISHED = new PreparedQuery<OutboxRow>(
  'outbox_claim_unpublished',
  `SELECT "seq", "id", "subject", "payload" FROM "outbox" WHERE "published_at" IS NULL
   ORDER BY "seq" LIMIT $1 FOR UPDATE SKIP LOCKED`,
);

const MARK_PUBLISHED = new PreparedQuery<never>(
  'outbox_mark_published',
  `UPDATE "outbox" SET "published_at" = now() WHERE "seq" = ANY($1::bigint[])`,
);

/** The relay's statements, for the services' generic-plans.int-spec.ts. */
export const OUTBOX_RELAY_STATEMENTS: ReadonlyArray<PreparedQuery<unknown>> = [CLAIM_UNPUBLISHED, MARK_PUBLISHED];

/** A scrape waits this long at most for the stream's size. */
const STREAM_INFO_TIMEOUT_MS = 2000;

export class OutboxRelay {
  private readonly log = new Logger(OutboxRelay.name);
  private connection?: NatsConnection;
  private js?: JetStreamClient;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private nudged = false;
  private starting?: Promise<void>;
  private readonly relayId = randomUUID();
  private lastHeartbeatAt = 0;
  private readonly state: NatsConnectionState;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: OutboxRelaySettings,
  ) {
    this.state = new NatsConnectionState(`${settings.service}-outbox`);
  }

  /**
   * The relay's stream, as the metrics see it: read with one stream info request per scrape over
   * the relay's connection (its identity may read its own stream); nothing while it is down.
   */
  streamProbe(): StreamProbe {
    return {
      streamName: this.settings.stream.name,
      usage: () => this.readStreamUsage(),
    };
  }

  private async readStreamUsage(): Promise<StreamUsage | undefined> {
    const connection = this.connection;
    if (!connection || connection.isClosed() || !this.state.isConnected()) {
      return undefined;
    }
    try {
      // checkAPI off: the relay already knows JetStream answers; one request per scrape, not two.
      const manager = await jetstreamManager(connection, { timeout: STREAM_INFO_TIMEOUT_MS, checkAPI: false });
      const info = await manager.streams.info(this.settings.stream.name);
      return { bytes: info.state.bytes, messages: info.state.messages, maxBytes: info.config.max_bytes };
    } catch {
      return undefined;
    }
  }

  /** The relay's own NATS connection, as the metrics see it. */
  connectionProbe(): NatsConnectionProbe {
    return this.state;
  }

  /**
   * Idempotent until stop(): a second start must not open a second connection and poll loop that
   * stop() never ends.
   */
  start(): Promise<void> {
    this.starting ??= this.open();
    return this.starting;
  }

  private get nudgeDelayMs(): number {
    return this.settings.nudgeDelayMs ?? DEFAULT_NUDGE_DELAY_MS;
  }

  private async open(): Promise<void> {
    this.stopped = false;
    // The shared options turn off nats.js's per-request stack traces, publishes to JetStream included.
    const connection = await connect(natsConnectionOptions(this.settings.bus, this.state.connectionName));
    this.connection = connection;
    void this.state.follow(connection);
    if (this.stopped) {
      // stop() ran while we were connecting: it had no connection to close yet.
      await connection.drain().catch(() => undefined);
      return;
    }
    await this.ensureStreamPatiently(connection);
    if (this.stopped) {
      return;
    }
    this.js = jetstream(connection);
    if (!this.stopped) {
      this.schedule(0);
    }
  }

  /** Ask for a publication round soon (after a local write), instead of waiting for the poll. */
  nudge(): void {
    if (this.stopped) {
      return;
    }
    if (this.nudged) {
      return; // a round is already due soon
    }
    this.nudged = true;
    if (!this.running) {
      this.schedule(this.nudgeDelayMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.starting = undefined;
    clearTimeout(this.timer);
    await this.running;
    if (this.js) {
      this.publishHeartbeat(Date.now(), true);
    }
    this.js = undefined;
    await this.connection?.drain().catch(() => undefined);
    this.connection = undefined;
  }

  /** Publishes every pending event now; returns how many were published (for tests and tools). */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published === 0) {
        return total;
      }
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => {
        this.running = undefined;
        if (!this.stopped) {
          this.schedule(this.nudged ? this.nudgeDelayMs : (this.settings.pollIntervalMs ?? 250));
        }
      });
    }, delayMs);
  }

  private async round(): Promise<void> {
    this.nudged = false;
    try {
      // A batch smaller than the limit means the backlog is drained: no empty round trip after it.
      let selectedAt = Date.now();
      while (!this.stopped && (await this.publishBatch()) >= (this.settings.batchSize ?? 100)) {
        selectedAt = Date.now();
      }
      // Only a round that really ran (connected to JetStream, every publish acknowledged) vouches
      // for the feed; a failed one throws past this and sends nothing.
      if (this.js && !this.stopped && selectedAt - this.lastHeartbeatAt >= HEARTBEAT_MIN_INTERVAL_MS) {
        this.publishHeartbeat(selectedAt, false);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'Outbox relay round failed; will retry');
    }
  }

  private publishHeartbeat(caughtUpAt: number, closing: boolean): void {
    const subject = this.settings.heartbeatSubject;
    if (!subject || !this.connection || this.connection.isClosed()) {
      return;
    }
    this.lastHeartbeatAt = caughtUpAt;
    const heartbeat: OutboxHeartbeat = { relay: this.relayId, caughtUpAt, ...(closing ? { closing } : {}) };
    try {
      this.connection.publish(subject, JSON.stringify(heartbeat));
    } catch (error) {
      // A heartbeat is advisory: a consumer that misses some only stops trusting the feed for a while.
      this.log.debug({ err: error }, 'Could not publish the outbox heartbeat');
    }
  }

  private async publishBatch(): Promise<number> {
    const js = this.js;
    if (!js) {
      return 0;
    }
    return this.dataSource.transaction(async (manager) => {
      await useGenericPlans(manager);
      const rows = await CLAIM_UNPUBLISHED.rows(manager, [this.settings.batchSize ?? 100]);
      if (rows.length === 0) {
        return 0;
      }
      await Promise.all(
        rows.map((row) => js.publish(row.subject, JSON.stringify(row.payload), { msgID: row.id, timeout: 5000 })),
      );
      await MARK_PUBLISHED.rows(manager, [rows.map((row) => row.seq)]);
      return rows.length;
    });
  }

  /** JetStream may be unavailable for a while (NATS restarting): keep trying until stopped. */
  private async ensureStreamPatiently(connection: NatsConnection): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.ensureStream(connection);
        return;
      } catch (error) {
        const waitMs = Math.min(30_000, 250 * 2 ** Math.min(attempt, 7));
        this.log.warn({ err: error, attempt, waitMs }, 'Could not set up the JetStream stream; retrying');
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  /**
   * Creates the stream, or brings an existing one to the configured replicas and limits. A refused
   * update (say, 3 replicas asked of a single server) is an error that keeps the relay retrying and
   * saying why, never one it passes over.
   */
  private async ensureStream(connection: NatsConnection): Promise<void> {
    const manager = await jetstreamManager(connection);
    const config = streamConfigOf(this.settings.stream, this.settings.streamLimits);
    const exists = await manager.streams.info(config.name).then(
      () => true,
      (error: unknown) => {
        if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) {
          return false;
        }
        throw error;
      },
    );
    if (exists) {
      await manager.streams.update(config.name, config);
      return;
    }
    await manager.streams.add(config).catch(async (error: unknown) => {
      // Another replica created it between our two calls: bring it to our configuration instead.
      await manager.streams.update(config.name, config).catch(() => {
        throw error;
      });
    });
  }
}
