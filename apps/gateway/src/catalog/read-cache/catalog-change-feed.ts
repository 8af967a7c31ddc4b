import { Logger } from '@nestjs/common';
import { connect, Msg, NatsConnection } from '@nats-io/transport-node';
import { BusConnection, natsConnectionOptions, NatsConnectionState } from '@app/common/messaging';
import { CATALOG_FEED_HEARTBEAT, CATALOG_STREAM, EventEnvelope } from '@app/contracts';
import { NatsConnectionProbe } from '@app/common/ops';
import { OutboxHeartbeat } from '@app/common/outbox';

export interface CatalogFeedListener {
  /** A catalog event (`catalog.events.*`), in the order the catalog published it. */
  event(subject: string, envelope: EventEnvelope | undefined): void;
  heartbeat(heartbeat: OutboxHeartbeat): void;
  /** Events may have been missed (connection lost or regained, messages dropped): forget everything. */
  gap(reason: string): void;
}

/**
 * Every catalog event, on a connection of its own, as a plain core-NATS subscription without a
 * queue group: each gateway replica must see every event, and JetStream delivers what it stores
 * to core subscribers too. No durable consumer: a replica that missed events flushes its cache
 * instead of replaying them, which is simpler and just as correct for a cache. The heartbeats of
 * the catalog's outbox relays come on the same connection, after the events they vouch for.
 */
export class CatalogChangeFeed {
  private readonly log = new Logger('ReadCacheFeed');
  private connection?: NatsConnection;
  private stopped = false;
  private subscribed = false;
  private readonly state = new NatsConnectionState('gateway-read-cache');

  constructor(
    private readonly bus: BusConnection,
    private readonly listener: CatalogFeedListener,
  ) {}

  /** True once the subscription is known to be active on the server, until the connection drops. */
  get up(): boolean {
    return this.subscribed;
  }

  /** The feed's own NATS connection, as the metrics see it. */
  connectionProbe(): NatsConnectionProbe {
    return this.state;
  }

  /** Connects in the background: the gateway serves (uncached) while the feed is down. */
  start(): void {
    this.open().catch((error: unknown) => this.log.error({ err: error }, 'Catalog event feed failed to start'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.subscribed = false;
    await this.connection?.drain().catch(() => undefined);
    this.connection = undefined;
  }

  private async open(): Promise<void> {
    const connection = await connect(natsConnectionOptions(this.bus, this.state.connectionName));
    if (this.stopped) {
      await connection.close();
      return;
    }
    this.connection = connection;
    void this.state.follow(connection);
    for (const subject of CATALOG_STREAM.subjects) {
      connection.subscribe(subject, { callback: (error, msg) => this.onEvent(error, msg) });
    }
    connection.subscribe(CATALOG_FEED_HEARTBEAT, { callback: (error, msg) => this.onHeartbeat(error, msg) });
    void this.watch(connection);
    await this.confirmSubscribed(connection, 'subscribed');
  }

  /** A round trip to the server proves our subscriptions are in place: only then can entries be kept. */
  private async confirmSubscribed(connection: NatsConnection, how: string): Promise<void> {
    try {
      await connection.flush();
    } catch {
      return; // the connection dropped again; its next reconnect comes back here
    }
    if (this.stopped || connection.isClosed()) {
      return;
    }
    this.listener.gap(how);
    this.subscribed = true;
    this.log.log(`Catalog event feed ${how}: read cache on`);
  }

  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') {
        this.lost(`disconnected from ${status.server}`);
      } else if (status.type === 'reconnect') {
        void this.confirmSubscribed(connection, `back (reconnected to ${status.server})`);
      } else if (status.type === 'slowConsumer') {
        this.lost(`dropped messages (slow consumer, ${status.pending} pending)`);
        void this.confirmSubscribed(connection, 'back (after dropped messages)');
      }
      // Other statuses (pings, cluster updates, reconnect attempts) change nothing for the cache.
    }
  }

  private lost(why: string): void {
    this.subscribed = false;
    this.listener.gap('feed-lost');
    if (!this.stopped) {
      this.log.warn(`Catalog event feed ${why}: read cache flushed and bypassed until it is back`);
    }
  }

  private onEvent(error: Error | null, msg: Msg): void {
    if (error) {
      this.lost(`failed (${error.message})`);
      return;
    }
    let envelope: EventEnvelope | undefined;
    try {
      envelope = msg.json<EventEnvelope>();
    } catch {
      envelope = undefined; // the listener treats an unreadable event as "anything may have changed"
    }
    this.listener.event(msg.subject, envelope);
  }

  private onHeartbeat(error: Error | null, msg: Msg): void {
    if (error) {
      return;
    }
    try {
      const heartbeat = msg.json<OutboxHeartbeat>();
      if (typeof heartbeat.relay === 'string' && Number.isFinite(heartbeat.caughtUpAt)) {
        this.listener.heartbeat(heartbeat);
      }
    } catch {
      // an unreadable heartbeat vouches for nothing
    }
  }
}
