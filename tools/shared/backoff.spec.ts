import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  const samples = (attempt: number, first: number, max: number): number[] =>
    Array.from({ length: 200 }, () => backoffDelayMs(attempt, first, max));

  it('doubles the ceiling with every attempt and waits at least half of it', () => {
    for (const [attempt, ceiling] of [
      [0, 100],
      [1, 200],
      [3, 800],
    ]) {
      const delays = samples(attempt, 100, 10_000);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(ceiling / 2);
      expect(Math.max(...delays)).toBeLessThanOrEqual(ceiling);
    }
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    const delays = samples(30, 100, 2_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(1_000);
  });

  it('spreads a crowd of clients instead of retrying in lockstep', () => {
    expect(new Set(samples(2, 100, 2_000)).size).toBeGreaterThan(100);
  });
});
