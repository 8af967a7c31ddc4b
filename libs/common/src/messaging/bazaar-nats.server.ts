import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, NatsContext, Server } from '@nestjs/microservices';
import { connect, Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { REQUEST_ID_HEADER, runWithRequestContext, saneRequestId } from '../context/request-context';
import { extractTraceContext, inSpan, SpanKind, tracingEnabled } from '../tracing/tracing';
import { BazaarMetrics } from '../ops/metrics';
import { WireError } from '@app/contracts';
import { BusConnection, natsConnectionOptions } from './nats-connection-options';
import { NatsConnectionState } from './nats-connection-state';
import { CallerCheck } from './caller-check';
import { isLogLevelEnabled } from '../logging/log-level';
import { AnswerPacket, answerRequest } from './handler-answer';
import { followNatsStatus, NatsTransportEvents, NatsTransportStatus } from './nats-status';
import { TurnBatcher } from './turn-batcher';
import { InFlightRequests } from './in-flight-requests';

export interface BazaarNatsServerSettings {
  bus: BusConnection;
  /** Service name: also the queue group, so replicas share requests instead of all doing them. */
  service: string;
  shutdownGraceMs: number;
  metrics: BazaarMetrics;
}

/** The envelope Nest's clients send: `id` present for a request, absent for an event. */
interface Envelope {
  pattern?: unknown;
  data?: unknown;
  id?: string | number;
}

const MALFORMED: WireError = { code: 'validation-error', message: 'Malformed message', status: 400 };
const FORBIDDEN: WireError = { code: 'forbidden', message: 'Not an allowed caller of this subject', status: 403 };
const NO_HANDLER: WireError = { code: 'not-found', message: 'No handler for this subject', status: 404 };
const INTERNAL: WireError = { code: 'internal', message: 'Internal error', status: 500 };

/**
 * Bazaar's NATS transport, on Nest's public custom-transport API (`Server`, `CustomTransportStrategy`;
 * handlers from `messageHandlers`), speaking the wire format of Nest's NATS transport:
 * - each handler's subject is subscribed in the service's queue group, so replicas share requests;
 * - every handler runs inside the request context taken from the NATS headers (request id, trace);
 * - a handler returning a value or a Promise is answered without an rxjs pipeline (handler-answer.ts);
 * - replies leave once per event-loop turn (reply-batcher.ts);
 * - per-subject latency and outcome metrics, and a debug line per request;
 * - a malformed message gets a `validation-error` reply instead of silence, including one that
 *   reads as an event (no request id) on a request subject: Nest would run the request handler
 *   fire-and-forget (an order placed that nobody hears of) and never answer;
 * - a request whose reply subject is not the private inbox of an identity allowed to call that
 *   subject (bus-policy.ts) is refused before any handler runs (caller-check.ts);
 * - close() drains: stop receiving, finish every in-flight handler, flush replies, then close
 *   (Nest's own graceful mode sleeps a fixed grace period and drops replies still on the wire).
 */
export class BazaarNatsServer
  extends Server<NatsTransportEvents, NatsTransportStatus>
  implements CustomTransportStrategy
{
  private readonly log = new Logger(BazaarNatsServer.name);
  private readonly state: NatsConnectionState;
  private readonly callers: CallerCheck;
  private readonly replies = new TurnBatcher<{ msg: Msg; payload: string }>(
    ({ msg, payload }) => msg.respond(payload),
    (error) => this.log.warn({ err: error }, 'Could not publish a reply'),
  );
  private readonly events = new EventEmitter();
  private connection: NatsConnection | null = null;
  private subscriptions: Subscription[] = [];
  private readonly inFlight = new InFlightRequests();
  private closed = false;
  private detachProbe: () => void = () => undefined;

  constructor(private readonly settings: BazaarNatsServerSettings) {
    super();
    this.state = new NatsConnectionState(`${settings.service}-server`);
    this.callers = CallerCheck.forService(settings.service);
  }

  /** Connects (waiting for a NATS that is not up yet), then subscribes every registered subject. */
  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const connection = await connect(natsConnectionOptions(this.settings.bus, this.state.connectionName));
      if (this.closed) {
        // Closed while it waited for NATS: the process is stopping, serve nothing.
        await connection.close();
        callback();
        return;
      }
      this.connection = connection;
      this.detachProbe = this.settings.metrics.dependencies.natsConnections.attach({
        connectionName: this.state.connectionName,
        isConnected: () => this.isConnected(),
        reconnectCount: () => this.state.reconnectCount(),
      });
      void followNatsStatus(connection, this.state, this.log, this.events, (status) => this._status$.next(status));
      for (const [subject, handler] of this.messageHandlers) {
        const queue = (handler.extras?.queue as string | undefined) ?? this.settings.service;
        this.subscriptions.push(
          connection.subscribe(subject, {
            queue,
            callback: (error, msg) =>
              error ? this.log.error({ err: error, subject }, 'Subscription failed') : this.receive(subject, msg),
          }),
        );
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  isConnected(): boolean {
    return this.state.isConnected() && this.connection !== null && !this.connection.isClosed();
  }

  inFlightCount(): number {
    return this.inFlight.size;
  }

  on<
    K extends keyof NatsTransportEvents = keyof NatsTransportEvents,
    C extends NatsTransportEvents[K] = NatsTransportEvents[K],
  >(event: K, callback: C): void {
    this.events.on(event, callback);
  }

  unwrap<T = NatsConnection>(): T {
    if (!this.connection) {
      throw new Error('Not connected: call listen() (startAllMicroservices) first');
    }
    return this.connection as T;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.detachProbe();
    const connection = this.connection;
    if (!connection) {
      return;
    }
    await Promise.allSettled(this.subscriptions.map((subscription) => subscription.drain()));
    await this.inFlight.whenIdle(this.settings.shutdownGraceMs, (left) =>
      this.log.warn(`Closing with ${left} request(s) still in flight after ${this.settings.shutdownGraceMs} ms`),
    );
    this.replies.flush();
    await connection.drain().catch(() => connection.close());
    this.events.removeAllListeners();
    this.subscriptions = [];
    this.connection = null;
  }

  private receive(subject: string, msg: Msg): void {
    const context = { requestId: saneRequestId(msg.headers?.get(REQUEST_ID_HEADER)) };
    this.inFlight.started();
    if (!tracingEnabled()) {
      void runWithRequestContext(context, () => this.handle(subject, msg));
      return;
    }
    const parent = extractTraceContext((name) => msg.headers?.get(name) || undefined);
    const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': subject };
    void runWithRequestContext(context, () =>
      inSpan(`NATS ${subject}`, SpanKind.SERVER, parent, attributes, () => this.handle(subject, msg)),
    );
  }

  /** Never rejects: every outcome is a reply (when one is expected), a log line, or both. */
  private async handle(subject: string, msg: Msg): Promise<void> {
    const started = performance.now();
    const envelope = decodeEnvelope(msg);
    const handler = this.messageHandlers.get(subject) ?? this.getHandlerByPattern(subject);
    let err: unknown;
    try {
      if (envelope?.id === undefined) {
        err = await this.handleEventLike(subject, msg, envelope, handler);
      } else if (!this.callers.allows(subject, msg.reply ?? '')) {
        this.log.warn({ subject, reply: msg.reply }, 'Refused a request from an identity not allowed to call it');
        err = this.replyError(msg, envelope.id, FORBIDDEN);
      } else if (!handler) {
        err = this.replyError(msg, envelope.id, NO_HANDLER);
      } else {
        err = await this.runRequest(subject, msg, envelope, handler);
      }
    } catch (error) {
      this.log.error({ err: error, subject }, 'Message handling failed');
      err = envelope?.id === undefined ? undefined : this.replyError(msg, envelope.id, INTERNAL);
    } finally {
      this.finishOne(msg.reply ? subject : undefined, started, err);
    }
  }

  private runRequest(subject: string, msg: Msg, envelope: Envelope, handler: MessageHandler): Promise<unknown> {
    const context = new NatsContext([subject, msg.headers]);
    const id = envelope.id;
    const send = (packet: AnswerPacket): void => {
      if (msg.reply) {
        this.replies.add({ msg, payload: JSON.stringify({ ...packet, id }) });
      }
    };
    return answerRequest(handler, envelope.data, context, send);
  }

  /**
   * No request id: an event for an event handler (Nest's own path), malformed for anything else.
   * Answered with validation-error when it came with a reply subject, else only logged.
   */
  private async handleEventLike(
    subject: string,
    msg: Msg,
    envelope: Envelope | undefined,
    handler: MessageHandler | null | undefined,
  ): Promise<unknown> {
    if (envelope && handler?.isEventHandler) {
      await this.handleEvent(
        subject,
        { pattern: subject, data: envelope.data },
        new NatsContext([subject, msg.headers]),
      );
      return undefined;
    }
    this.log.warn({ subject }, 'Rejected a malformed message');
    return msg.reply ? this.replyError(msg, undefined, MALFORMED) : undefined;
  }

  private replyError(msg: Msg, id: string | number | undefined, wire: WireError): WireError {
    if (msg.reply) {
      this.replies.add({ msg, payload: JSON.stringify({ err: wire, isDisposed: true, id }) });
    }
    return wire;
  }

  private finishOne(subject: string | undefined, started: number, err: unknown): void {
    if (subject !== undefined) {
      const outcome = err ? ((err as Partial<WireError>).code ?? 'internal') : 'ok';
      const seconds = (performance.now() - started) / 1000;
      this.settings.metrics.rpcServerDuration.observe({ pattern: subject, outcome }, seconds);
      // One line per request at debug level; the request id comes from the context. Guarded, so
      // the line's fields are not even built at the usual info level.
      if (isLogLevelEnabled('debug')) {
        this.log.debug({ subject, outcome, ms: Math.round(seconds * 1000) }, 'Handled request');
      }
    }
    this.inFlight.finished();
  }
}

/** Nest's envelope, or undefined for anything else (not JSON, null, an array, a bare value). */
function decodeEnvelope(msg: Msg): Envelope | undefined {
  try {
    const value: unknown = msg.json();
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
