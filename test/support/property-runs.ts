import fc from 'fast-check';

/**
 * The seed every property test runs with unless FC_SEED says otherwise: CI replays the same cases
 * on every run, so a red property is a regression, never luck. Explore with `FC_SEED=<any int>`
 * (or `FC_SEED=random`); replay a failure with the `seed` and `path` fast-check printed:
 * `FC_SEED=<seed> FC_PATH=<path> npx jest ...`.
 */
export const DEFAULT_PROPERTY_SEED = 15_2026;

function seedFromEnv(): number {
  const given = process.env.FC_SEED;
  if (given === undefined || given === '') {
    return DEFAULT_PROPERTY_SEED;
  }
  if (given === 'random') {
    return Date.now() ^ (Math.random() * 0x1_0000_0000);
  }
  const seed = Number(given);
  if (!Number.isInteger(seed)) {
    throw new Error(`FC_SEED must be an integer or "random", not ${given}`);
  }
  return seed;
}

/**
 * Options for `fc.assert`: the fixed (or given) seed, the replay path, and `numRuns`. On failure
 * fast-check's error names `{ seed, path }` and the shrunk counterexample; the seed is also
 * prefixed here so it shows in jest's first line even when the property message is long.
 */
export function fcOptions<T>(numRuns: number, overrides: fc.Parameters<T> = {}): fc.Parameters<T> {
  const seed = seedFromEnv();
  const path = process.env.FC_PATH || undefined;
  return {
    seed,
    path,
    numRuns: Number(process.env.FC_NUM_RUNS ?? numRuns),
    // Replaying a path runs exactly the failing case: no point shrinking what is already minimal.
    endOnFailure: path !== undefined,
    ...overrides,
  };
}

/** `fc.assert` with `fcOptions`, and the seed to replay in the message of any failure. */
export async function assertProperty<T>(
  property: fc.IAsyncProperty<T> | fc.IProperty<T>,
  numRuns: number,
  overrides: fc.Parameters<T> = {},
): Promise<void> {
  const options = fcOptions(numRuns, overrides);
  try {
    await fc.assert(property, options);
  } catch (error) {
    if (error instanceof Error) {
      error.message = `Property failed with FC_SEED=${options.seed} (replay: see the seed and path below)\n${error.message}`;
    }
    throw error;
  }
}
