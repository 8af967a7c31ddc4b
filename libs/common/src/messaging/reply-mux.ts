import { createInbox, errors as natsErrors, Msg, MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { TurnBatcher } from './turn-batcher';

interface OutgoingRequest {
  subject: string;
  payload: string;
  token: string;
  headers?: MsgHdrs;
}

interface Pending {
  subject: string;
  resolve: (reply: Msg) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request/reply over one wildcard inbox subscription per connection, as nats.js's own `request()`
 * does, minus what it costs per request on the gateway's hot path: nats.js builds an Error with a
 * captured stack for every request that succeeds (its internal "cancelled" rejection), a timeout
 * promise raced against the reply, and a random token. Here: a counter token, one timer, one
 * promise; and the requests of one event-loop turn are published together (one socket write for
 * the gateway's many concurrent HTTP requests, not one each). Failures keep nats.js's types, so
 * classifyRpcFailure maps them as before: no answer in time → TimeoutError (504), no subscriber →
 * NoRespondersError (503), connection closed with the request pending → ClosedConnectionError
 * (503).
 */
export class ReplyMux {
  private readonly pending = new Map<string, Pending>();
  private readonly prefix: string;
  private sequence = 0;
  /** Requests leave once per event-loop turn, together (see TurnBatcher). */
  private readonly outgoing = new TurnBatcher<OutgoingRequest>(
    (request) =>
      this.connection.publish(request.subject, request.payload, {
        reply: this.prefix + request.token,
        headers: request.headers,
      }),
    (error, request) => this.fail(request.token, error instanceof Error ? error : new Error(String(error))),
  );

  /** `inboxPrefix`: the connection's private one (the server delivers replies only below it). */
  constructor(
    private readonly connection: NatsConnection,
    inboxPrefix: string,
  ) {
    this.prefix = `${createInbox(inboxPrefix)}.`;
    const subscription = connection.subscribe(`${this.prefix}*`, {
      callback: (error, reply) => (error ? this.rejectAll(error) : this.settle(reply)),
    });
    void subscription.closed.then(() => this.rejectAll(new natsErrors.ClosedConnectionError()));
  }

  request(subject: string, payload: string, timeoutMs: number, headers?: MsgHdrs): Promise<Msg> {
    const token = (this.sequence++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(token);
        reject(new natsErrors.TimeoutError());
      }, timeoutMs);
      this.pending.set(token, { subject, resolve, reject, timer });
      this.outgoing.add({ subject, payload, token, headers });
    });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private settle(reply: Msg): void {
    const token = reply.subject.slice(this.prefix.length);
    const request = this.pending.get(token);
    if (!request) {
      return; // answered after its timeout
    }
    this.pending.delete(token);
    clearTimeout(request.timer);
    // The server's answer when nobody subscribes to the subject: status 503, no payload.
    if (reply.data.length === 0 && reply.headers?.code === 503) {
      request.reject(new natsErrors.NoRespondersError(request.subject));
    } else {
      request.resolve(reply);
    }
  }

  /** A request that could not be published (the connection closed meanwhile) fails at once. */
  private fail(token: string, error: Error): void {
    const request = this.pending.get(token);
    if (request) {
      this.pending.delete(token);
      clearTimeout(request.timer);
      request.reject(error);
    }
  }

  private rejectAll(error: Error): void {
    for (const request of this.pending.values()) {
      clearTimeout(request.timer);
      request.reject(error);
    }
    this.pending.clear();
  }
}
