/**
 * Sends what is queued during one event-loop turn together, at the end of that turn, instead of
 * one by one. Used for the NATS messages a process publishes on its hot paths: a service's replies
 * (BazaarNatsServer) and a caller's requests (ReplyMux).
 *
 * nats.js already merges what is published within one microtask checkpoint into one socket write.
 * But each reply is published from the I/O callback of its own Postgres answer, and each gateway
 * request from the I/O callback of its own HTTP request, and Node runs the microtasks (so nats.js's
 * flush) after each callback: one write per message. Queued here and sent together in
 * `setImmediate` (the check phase, right after the poll phase that delivered those callbacks), the
 * messages of one turn leave in one write.
 *
 * Measured with tools/bench/experiments/reply-coalescing.ts (64 requests in flight, a
 * primary-key SELECT per request, pool of 10): 1.000 socket writes per reply published at once,
 * 0.32–0.41 queued per turn. The wait is the rest of the current turn, no timer.
 */
export class TurnBatcher<T> {
  private queued: T[] = [];
  private readonly flushTurn = (): void => this.flush();

  /**
   * `send` publishes one item; when it throws (the connection closed meanwhile), `onFailure` hears
   * of that item and the others are still sent.
   */
  constructor(
    private readonly send: (item: T) => void,
    private readonly onFailure: (error: unknown, item: T) => void,
  ) {}

  add(item: T): void {
    if (this.queued.push(item) === 1) {
      setImmediate(this.flushTurn);
    }
  }

  /** Sends what is queued now (also called before a drain, so nothing queued is left behind). */
  flush(): void {
    const batch = this.queued;
    this.queued = [];
    for (const item of batch) {
      try {
        this.send(item);
      } catch (error) {
        this.onFailure(error, item);
      }
    }
  }
}
