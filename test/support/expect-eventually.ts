/**
 * Retries an assertion until it passes or the time is up, then throws its last failure: the way
 * tests wait for asynchronous effects, instead of fixed sleeps.
 */
export async function expectEventually<T>(
  assertion: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
