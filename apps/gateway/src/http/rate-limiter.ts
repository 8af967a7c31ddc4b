/**
 * Fixed-window request counter per client address. Each gateway replica counts on its own, so
 * with N replicas behind a balancer a client gets up to N × the limit in the worst case: the
 * general limit guards against floods; the strict, cross-replica limits (failed logins) live in
 * the services' databases.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts a request; answers how long to wait when it is over the limit. */
  hit(key: string, now = Date.now()): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    this.sweep(now);
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return { allowed: true };
    }
    window.count++;
    if (window.count <= this.limit) {
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.ceil((window.start + this.windowMs - now) / 1000) };
  }

  /** Bounds memory: windows that ended are dropped once per window length. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) {
      return;
    }
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) {
        this.windows.delete(key);
      }
    }
  }
}
