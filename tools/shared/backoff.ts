/**
 * How long a careful client waits before retry number `attempt` (0-based): exponential from
 * `firstDelayMs`, capped at `maxDelayMs`, jittered over the upper half so a crowd of clients spreads
 * out instead of retrying in lockstep. One policy for the tests' retries and the chaos run's clients.
 */
export function backoffDelayMs(attempt: number, firstDelayMs = 100, maxDelayMs = 2_000): number {
  const ceiling = Math.min(maxDelayMs, firstDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** Sleeps for `backoffDelayMs(attempt, firstDelayMs)`. */
export function retryPause(attempt: number, firstDelayMs = 100): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt, firstDelayMs)));
}
