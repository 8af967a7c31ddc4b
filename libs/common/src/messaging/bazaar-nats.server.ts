import { Logger } from '@nestjs/common';
import { BaseRpcContext, ReadPacket, ServerNats } from '@nestjs/microservices';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { performance } from 'node:perf_hooks';
import { REQUEST_ID_HEADER, runWithRequestContext, saneRequestId } from '../context/request-context';
import { extractTraceContext, inSpan, SpanKind, tracingEnabled } from '../tracing/tracing';
import { BazaarMetrics } from '../ops/metrics';
import { WireError } from '@app/contracts';
import { BusConnection, natsConnectionOptions } from './nats-connection-options';
import { NatsConnectionState } from './nats-connection-state';
import { CallerCheck } from './caller-check';
import { isLogLevelEnabled } from '../logging/log-level';

export interface BazaarNatsServerSettings {
  bus: BusConnection;
  /** Service name: also the queue group, so replicas share requests instead of all doing them. */
  service: string;
  shutdownGraceMs: number;
  metrics: BazaarMetrics;
}

/** ServerNats keeps these private; draining needs them. */
interface ServerNatsInternals {
  natsClient: NatsConnection | null;
  subscriptions: Subscription[];
}

interface ResponsePacket {
  err?: unknown;
  response?: unknown;
  isDisposed?: boolean;
}

/**
 * Nest's NATS server with what production needs on top:
 * - every handler runs inside the request context taken from the NATS headers (request id, trace);
 * - per-subject latency and outcome metrics;
 * - a malformed message gets a `validation-error` reply instead of silence, including one that
 *   reads as an event (no request id) on a request subject: Nest would run the request handler
 *   fire-and-forget (an order placed that nobody hears of) and never answer;
 * - a request whose reply subject is not the private inbox of an identity allowed to call that
 *   subject (bus-policy.ts) is refused before any handler runs (caller-check.ts);
 * - close() drains: stop receiving, finish every in-flight handler, flush replies, then close
 *   (Nest's own graceful mode sleeps a fixed grace period and drops replies still on the wire).
 */
export class BazaarNatsServer extends ServerNats {
  private readonly log = new Logger(BazaarNatsServer.name);
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly state: NatsConnectionState;
  private readonly detachProbe: () => void;
  private readonly callers: CallerCheck;

  constructor(private readonly settings: BazaarNatsServerSettings) {
    super({ ...natsConnectionOptions(settings.bus, `${settings.service}-server`), queue: settings.service });
    this.state = new NatsConnectionState(`${settings.service}-server`);
    this.status.subscribe((status) => {
      // Nest's status enum is a const enum: compare its string value.
      if (String(status) === 'connected') {
        this.state.markUp();
      } else {
        this.state.markDown();
      }
    });
    this.callers = CallerCheck.forService(settings.service);
    this.detachProbe = settings.metrics.dependencies.natsConnections.attach({
      connectionName: this.state.connectionName,
      isConnected: () => this.isConnected(),
      reconnectCount: () => this.state.reconnectCount(),
    });
  }

  isConnected(): boolean {
    const client = this.internals.natsClient;
    return this.state.isConnected() && client !== null && client !== undefined && !client.isClosed();
  }

  inFlightCount(): number {
    return this.inFlight;
  }

  override async handleMessage(channel: string, natsMsg: Msg): Promise<void> {
    const context = { requestId: saneRequestId(natsMsg.headers?.get(REQUEST_ID_HEADER)) };
    this.inFlight++;
    if (!tracingEnabled()) {
      return runWithRequestContext(context, () => this.handleTracked(channel, natsMsg));
    }
    const parent = extractTraceContext((name) => natsMsg.headers?.get(name) || undefined);
    const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': channel };
    return runWithRequestContext(context, () =>
      inSpan(`NATS ${channel}`, SpanKind.SERVER, parent, attributes, () => this.handleTracked(channel, natsMsg)),
    );
  }

  private async handleTracked(channel: string, natsMsg: Msg): Promise<void> {
    const expectsReply = Boolean(natsMsg.reply);
    if (expectsReply && !this.callers.allows(channel, natsMsg.reply!)) {
      this.refuseCaller(channel, natsMsg);
      return;
    }
    {
      try {
        await super.handleMessage(channel, natsMsg);
      } catch (error) {
        // Only a payload that isn't our JSON envelope gets here: handler errors become replies.
        this.log.warn({ err: error, subject: channel }, 'Rejected a malformed message');
        if (expectsReply) {
          const wire: WireError = { code: 'validation-error', message: 'Malformed message', status: 400 };
          natsMsg.respond(JSON.stringify({ err: wire, isDisposed: true }));
          this.finishOne(channel, performance.now(), wire);
        }
      } finally {
        if (!expectsReply) {
          this.finishOne(undefined, 0, undefined);
        }
      }
    }
  }

  /** Answered (the reply subject can only be read by its owner, who learns nothing), never handled. */
  private refuseCaller(channel: string, natsMsg: Msg): void {
    this.log.warn(
      { subject: channel, reply: natsMsg.reply },
      'Refused a request from an identity not allowed to call it',
    );
    const wire: WireError = { code: 'forbidden', message: 'Not an allowed caller of this subject', status: 403 };
    natsMsg.respond(JSON.stringify({ err: wire, isDisposed: true }));
    this.finishOne(channel, performance.now(), wire);
  }

  override handleEvent(pattern: string, packet: ReadPacket, context: BaseRpcContext): Promise<unknown> {
    if (this.getHandlerByPattern(pattern)?.isEventHandler === false) {
      // Thrown into handleMessage, so handleTracked rejects it like any other malformed message.
      return Promise.reject(new Error(`${pattern} takes requests: a message without a request id is malformed`));
    }
    return super.handleEvent(pattern, packet, context);
  }

  /**
   * Our subjects are plain strings, registered as they are: Nest's version first tries JSON.parse
   * on every subject (for object patterns) and pays for a SyntaxError with a stack each time
   * (~3 % of a service's CPU). A subject that isn't registered as such still takes Nest's path.
   */
  override getRouteFromPattern(pattern: string): string {
    return this.messageHandlers.has(pattern) ? pattern : super.getRouteFromPattern(pattern);
  }

  override getPublisher(natsMsg: Msg, id: string, ctx: never): (response: ResponsePacket) => unknown {
    const publish = super.getPublisher(natsMsg, id, ctx) as (response: ResponsePacket) => unknown;
    const started = performance.now();
    const subject = natsMsg.subject;
    return (response: ResponsePacket) => {
      const result = publish(response);
      if (response.isDisposed || response.err) {
        this.finishOne(subject, started, response.err);
      }
      return result;
    };
  }

  override async close(): Promise<void> {
    this.detachProbe();
    const client = this.internals.natsClient;
    if (!client) {
      return;
    }
    await Promise.allSettled(this.internals.subscriptions.map((subscription) => subscription.drain()));
    await this.waitForIdle(this.settings.shutdownGraceMs);
    await client.drain().catch(() => client.close());
    this.statusEventEmitter.removeAllListeners();
    this.internals.natsClient = null;
  }

  private get internals(): ServerNatsInternals {
    return this as unknown as ServerNatsInternals;
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
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) {
      this.idleWaiters.splice(0).forEach((wake) => wake());
    }
  }

  private waitForIdle(timeoutMs: number): Promise<void> {
    if (this.inFlight === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.log.warn(`Closing with ${this.inFlight} request(s) still in flight after ${timeoutMs} ms`);
        resolve();
      }, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
