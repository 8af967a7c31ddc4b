/**
 * How a bench helper process (floor server, NATS reference, argon2 rate) tells the bench it is
 * serving, or what it measured: one stdout line `BENCH_HELPER {json}`.
 */
export const HELPER_MARKER = 'BENCH_HELPER';

export function reportToParent(info: unknown): void {
  process.stdout.write(`${HELPER_MARKER} ${JSON.stringify(info)}\n`);
}

/** SIGTERM/SIGINT: close what the helper opened, then exit 0 (so --cpu-prof style tooling works). */
export function exitOnSignals(close: () => Promise<unknown>): void {
  const stop = (): void => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
