import type { Msg } from '@nats-io/transport-node';

/**
 * Publishes a service's replies once per event-loop turn instead of one by one.
 *
 * nats.js already merges what is published within one microtask checkpoint into one socket
 * write. A service's replies though are each published from the I/O callback of their own
 * Postgres answer, and Node runs the microtasks (so nats.js's flush) after each callback: one
 * write per reply. Queued here and published together in `setImmediate` (the check phase, right
 * after the poll phase that delivered those answers), the replies of one turn leave in one write.
 *
 * Measured with tools/bench/experiments/reply-coalescing.ts (64 requests in flight, a
 * primary-key SELECT per request, pool of 10): 1.000 socket writes per reply published at once,
 * 0.32–0.41 queued per turn. The wait is the rest of the current turn, no timer.
 */
export class ReplyBatcher {
  private queued: Array<{ msg: Msg; payload: string }> = [];
  private readonly flushTurn = (): void => this.flush();

  constructor(private readonly onFailure: (error: unknown) => void) {}

  reply(msg: Msg, payload: string): void {
    if (this.queued.push({ msg, payload }) === 1) {
      setImmediate(this.flushTurn);
    }
  }

  /** Publishes what is queued now (also called before a drain, so nothing queued is left behind). */
  flush(): void {
    const batch = this.queued;
    this.queued = [];
    for (const { msg, payload } of batch) {
      // A reply that can't be published (connection closed meanwhile) must not stop the others.
      try {
        msg.respond(payload);
      } catch (error) {
        this.onFailure(error);
      }
    }
  }
}
