/**
 * The pause a careful client takes before retry number `attempt` (0-based): exponential from
 * `firstDelayMs`, capped at 2 s, jittered over the upper half so a crowd of clients spreads out
 * instead of retrying in lockstep.
 */
export function retryPause(attempt: number, firstDelayMs = 100): Promise<void> {
  const ceiling = Math.min(2_000, firstDelayMs * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
}
