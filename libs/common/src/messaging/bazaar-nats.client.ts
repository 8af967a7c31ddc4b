import type { NatsConnection } from '@nats-io/transport-node';
import { ClientNats } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { classifyRpcFailure } from '../errors/rpc-failure';
import type { NatsConnectionProbe } from '../ops/dependency-gauges';
import { BazaarMetrics } from '../ops/metrics';
import { inboxPrefixOf } from './bus-policy';
import { BusConnection, natsConnectionOptions } from './nats-connection-options';
import { NatsConnectionState } from './nats-connection-state';
import { outgoingHeaders } from './nats-headers';
import { ReplyMux } from './reply-mux';
import { inSpan, otelContext, SpanKind, tracingEnabled } from '../tracing/tracing';

interface ReplyPacket<T> {
  err?: unknown;
  response?: T;
}

/**
 * Nest's NATS client, with requests sent over one shared reply subscription (ReplyMux: one
 * subscription for all requests instead of one per request), a timeout on every call, the
 * request id and trace context in the headers, and every failure classified into a DomainError
 * (service answered with an error, no replica → 503, no answer in time → 504).
 */
export class BazaarNatsClient extends ClientNats {
  private readonly state: NatsConnectionState;
  private readonly muxes = new WeakMap<NatsConnection, ReplyMux>();

  private readonly inboxPrefix: string;

  constructor(
    bus: BusConnection,
    name: string,
    private readonly metrics: BazaarMetrics,
  ) {
    super(natsConnectionOptions(bus, name));
    this.inboxPrefix = inboxPrefixOf(bus.identity);
    this.state = new NatsConnectionState(name);
    this.status.subscribe((status) => {
      // Nest's status enum is a const enum: compare its string value.
      if (String(status) === 'connected') {
        this.state.markUp();
      } else {
        this.state.markDown();
      }
    });
  }

  isConnected(): boolean {
    const connection = this.natsClient as NatsConnection | null;
    return this.state.isConnected() && connection !== null && !connection.isClosed();
  }

  /** This connection as the metrics see it (bazaar_nats_connection_up, bazaar_nats_reconnects_total). */
  connectionProbe(): NatsConnectionProbe {
    return {
      connectionName: this.state.connectionName,
      isConnected: () => this.isConnected(),
      reconnectCount: () => this.state.reconnectCount(),
    };
  }

  /** One reply subscription per connection (Nest makes a new connection after a close). */
  private muxFor(connection: NatsConnection): ReplyMux {
    let mux = this.muxes.get(connection);
    if (!mux) {
      mux = new ReplyMux(connection, this.inboxPrefix);
      this.muxes.set(connection, mux);
    }
    return mux;
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

  private async requestOnce<TResponse>(subject: string, data: unknown, timeoutMs: number): Promise<TResponse> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      const connection = (await this.connect()) as NatsConnection;
      const packet = JSON.stringify({ pattern: subject, data, id: randomUUID() });
      const reply = await this.muxFor(connection).request(subject, packet, timeoutMs, outgoingHeaders());
      const body = reply.json<ReplyPacket<TResponse>>();
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
}
