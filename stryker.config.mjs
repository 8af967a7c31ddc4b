// Mutation testing of the pure domain modules (issue 15): `npm run test:mutation`.
// How to read and refresh the report: docs/testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  mutate: [
    // reservation rules: canonical lines and why catalog refuses a reserve
    'apps/catalog/src/stock/reservation-rules.ts',
    // the order saga's state machine: what catalog's answer means for an order
    'apps/orders/src/orders/reservation-outcome.ts',
    // idempotency: when two place-order bodies are the same request
    'apps/orders/src/idempotency/request-fingerprint.ts',
    // the keyset cursor codec
    'libs/common/src/pagination/signed-cursor.ts',
    // problem mapping: the error catalog, wire errors, problem+json, validation errors
    'libs/common/src/errors/*.ts',
    '!libs/common/src/errors/*.spec.ts',
    '!libs/common/src/errors/index.ts',
    'libs/contracts/src/errors/*.ts',
    '!libs/contracts/src/errors/*.spec.ts',
    '!libs/contracts/src/errors/index.ts',
    // read-cache bookkeeping: LRU/TTL/invalidation, feed freshness, keys and tags
    'apps/gateway/src/catalog/read-cache/read-cache.ts',
    'apps/gateway/src/catalog/read-cache/feed-freshness.ts',
    'apps/gateway/src/catalog/read-cache/read-cache-keys.ts',
    // login-limit arithmetic: who is blocked, how long to wait
    'apps/auth/src/login-limits/login-limit-rules.ts',
  ],
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutation.config.cjs',
    enableFindRelatedTests: false,
  },
  // No type checker: on two shared cores it took ~15 s a mutant (the whole project's program per
  // check), the run ~3.5 h. Without it a mutant that doesn't type-check still runs (swc strips
  // types) and is killed or listed like any other; the surviving ones are read by hand anyway.
  coverageAnalysis: 'perTest',
  // Two cores, shared with the rest of the machine.
  concurrency: 2,
  // A static mutant (a module-level constant such as the error catalog's code → status table) can
  // only be judged by re-running every spec from scratch, ~25 s each here; the specs read that
  // table through statusOf/toProblem, which are mutated and tested like the rest.
  ignoreStatic: true,
  // Re-runs test only the mutants whose code or covering tests changed since the last report.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  // Generous: on a loaded machine a fresh jest worker needs tens of seconds before its first test.
  timeoutMS: 120_000,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
