import { Logger } from '@nestjs/common';
import { ClientProxy, MsPattern, ReadPacket, WritePacket } from '@nestjs/microservices';
import { connect, errors as natsErrors, NatsConnection } from '@nats-io/transport-node';
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { classifyRpcFailure } from '../errors/rpc-failure';
import type { NatsConnectionProbe } from '../ops/dependency-gauges';
import { BazaarMetrics } from '../ops/metrics';
import { inboxPrefixOf } from './bus-policy';
import { BusConnection, natsConnectionOptions } from './nats-connection-options';
import { NatsConnectionState } from './nats-connection-state';
import { outgoingHeaders } from './nats-headers';
import { followNatsStatus, NatsTransportEvents, NatsTransportStatus } from './nats-status';
import { ReplyMux } from './reply-mux';
import { inSpan, otelContext, SpanKind, tracingEnabled } from '../tracing/tracing';

/** Nest's `send()` takes no timeout; the typed clients call `request()` with their configured one. */
const SEND_TIMEOUT_MS = 5000;

interface ReplyPacket<T> {
  err?: unknown;
  response?: T;
}

/**
 * Bazaar's NATS client, on Nest's public `ClientProxy` API (so `send`/`emit` work as with any Nest
 * client), over nats.js's public API only. `request()` is what the typed clients (rpc-client.ts)
 * use: one shared reply subscription (ReplyMux) instead of one per request, a timeout on every
 * call, the request id and trace context in the headers, and every failure classified into a
 * DomainError (service answered with an error, no replica → 503, no answer in time → 504, cut off
 * from NATS → 503).
 */
export class BazaarNatsClient extends ClientProxy<NatsTransportEvents, NatsTransportStatus> {
  private readonly log = new Logger('NatsClient');
  private readonly state: NatsConnectionState;
  private readonly inboxPrefix: string;
  private readonly events = new EventEmitter();
  private connecting: Promise<NatsConnection> | null = null;
  private connection: NatsConnection | null = null;
  private mux: ReplyMux | null = null;
  private generation = 0;

  constructor(
    private readonly bus: BusConnection,
    name: string,
    private readonly metrics: BazaarMetrics,
  ) {
    super();
    this.inboxPrefix = inboxPrefixOf(bus.identity);
    this.state = new NatsConnectionState(name);
  }

  /** Connects once (waiting for a NATS that is not up yet); every caller shares that connection. */
  connect(): Promise<NatsConnection> {
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    // A connection still being opened (NATS down, waiting for it) is closed when it opens.
    this.generation++;
    this.connecting = null;
    this.connection = null;
    this.mux = null;
    this.events.removeAllListeners();
    await connection?.close();
  }

  override on<
    K extends keyof NatsTransportEvents = keyof NatsTransportEvents,
    C extends NatsTransportEvents[K] = NatsTransportEvents[K],
  >(event: K, callback: C): void {
    this.events.on(event, callback);
  }

  unwrap<T = NatsConnection>(): T {
    if (!this.connection) {
      throw new Error('Not connected: call connect() first');
    }
    return this.connection as T;
  }

  isConnected(): boolean {
    return this.state.isConnected() && this.connection !== null && !this.connection.isClosed();
  }

  /** This connection as the metrics see it (bazaar_nats_connection_up, bazaar_nats_reconnects_total). */
  connectionProbe(): NatsConnectionProbe {
    return {
      connectionName: this.state.connectionName,
      isConnected: () => this.isConnected(),
      reconnectCount: () => this.state.reconnectCount(),
    };
  }

  request<TResponse>(subject: string, data: unknown, timeoutMs: number): Promise<TResponse> {
    if (!tracingEnabled()) {
      return this.requestOnce<TResponse>(subject, data, timeoutMs);
    }
    const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': subject };
    return inSpan(`NATS ${subject}`, SpanKind.CLIENT, otelContext.active(), attributes, () =>
      this.requestOnce<TResponse>(subject, data, timeoutMs),
    );
  }

  /** Nest's `send()`: the same request, answered as Nest's clients answer (one packet). */
  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const subject = this.normalizePattern(packet.pattern as MsPattern);
    this.exchange(subject, packet.data, SEND_TIMEOUT_MS).then(
      (reply) => callback({ err: reply.err ?? undefined, response: reply.response, isDisposed: true }),
      (error: unknown) => callback({ err: classifyRpcFailure(error, subject), isDisposed: true }),
    );
    // Nothing to cancel: an answer after the subscriber left is dropped by the observer, and the
    // pending request ends with its timeout.
    return () => undefined;
  }

  /** Nest's `emit()`: fire-and-forget, with the request id and trace context in the headers. */
  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const connection = await this.connectedNow();
    connection.publish(this.normalizePattern(packet.pattern as MsPattern), JSON.stringify(packet), {
      headers: outgoingHeaders(),
    });
    return undefined as T;
  }

  private async requestOnce<TResponse>(subject: string, data: unknown, timeoutMs: number): Promise<TResponse> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      const body = await this.exchange<TResponse>(subject, data, timeoutMs);
      if (body.err !== undefined && body.err !== null) {
        throw classifyRpcFailure(body.err, subject);
      }
      return body.response as TResponse;
    } catch (failure) {
      const error = classifyRpcFailure(failure, subject);
      outcome = error.code;
      throw error;
    } finally {
      this.metrics.rpcClientDuration.observe({ pattern: subject, outcome }, (performance.now() - started) / 1000);
    }
  }

  private async exchange<TResponse>(
    subject: string,
    data: unknown,
    timeoutMs: number,
  ): Promise<ReplyPacket<TResponse>> {
    await this.connectedNow();
    const packet = JSON.stringify({ pattern: subject, data, id: randomUUID() });
    const reply = await this.mux!.request(subject, packet, timeoutMs, outgoingHeaders());
    return reply.json<ReplyPacket<TResponse>>();
  }

  /**
   * The connection, once it is up. While it is down (reconnecting), calls fail at once, as
   * service-unavailable, instead of queueing in nats.js: what is published while disconnected is
   * discarded on reconnect, so a queued request could only time out.
   */
  private async connectedNow(): Promise<NatsConnection> {
    const connection = await this.connect();
    if (!this.state.isConnected() || connection.isClosed()) {
      throw new natsErrors.ConnectionError('NATS connection lost; reconnecting');
    }
    return connection;
  }

  private async open(): Promise<NatsConnection> {
    const generation = this.generation;
    const connection = await connect(natsConnectionOptions(this.bus, this.state.connectionName));
    if (generation !== this.generation) {
      await connection.close();
      throw new natsErrors.ClosedConnectionError();
    }
    this.connection = connection;
    this.mux = new ReplyMux(connection, this.inboxPrefix);
    void followNatsStatus(connection, this.state, this.log, this.events, (status) => this._status$.next(status)).then(
      () => {
        // The connection is gone for good (closed, or it gave up): the next call starts a new one.
        if (this.connection === connection) {
          this.connection = null;
          this.connecting = null;
          this.mux = null;
        }
      },
    );
    return connection;
  }
}
