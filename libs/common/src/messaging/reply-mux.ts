import { createInbox, errors as natsErrors, Msg, MsgHdrs, NatsConnection } from '@nats-io/transport-node';

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
 * promise. Failures keep nats.js's types, so classifyRpcFailure maps them as before: no answer in
 * time → TimeoutError (504), no subscriber → NoRespondersError (503), connection closed with the
 * request pending → ClosedConnectionError (503).
 */
export class ReplyMux {
  private readonly pending = new Map<string, Pending>();
  private readonly prefix: string;
  private sequence = 0;

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
      try {
        this.connection.publish(subject, payload, { reply: this.prefix + token, headers });
      } catch (error) {
        this.pending.delete(token);
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
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

  private rejectAll(error: Error): void {
    for (const request of this.pending.values()) {
      clearTimeout(request.timer);
      request.reject(error);
    }
    this.pending.clear();
  }
}
