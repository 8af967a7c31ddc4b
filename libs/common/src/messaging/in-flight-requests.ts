/**
 * How many messages a server is still handling, and a way to wait until none is: a draining
 * server stops receiving, then waits here (bounded by its grace period) before it closes.
 */
export class InFlightRequests {
  private count = 0;
  private idleWaiters: Array<() => void> = [];

  get size(): number {
    return this.count;
  }

  started(): void {
    this.count++;
  }

  finished(): void {
    this.count = Math.max(0, this.count - 1);
    if (this.count === 0) {
      this.idleWaiters.splice(0).forEach((wake) => wake());
    }
  }

  /** Resolves once none is in flight, or after `timeoutMs` (calling `onTimeout` with those left). */
  whenIdle(timeoutMs: number, onTimeout: (left: number) => void): Promise<void> {
    if (this.count === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        onTimeout(this.count);
        resolve();
      }, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
