// The jest that StrykerJS runs (`npm run test:mutation`): the unit project only, narrowed to the
// specs of the pure domain modules it mutates (see stryker.config.mjs). Every mutant is judged by
// the unit specs beside its module; the whole unit tier would only slow the initial run.
const { projects } = require('./jest.config.js');

// Property specs run every mutant: a few dozen cases each is plenty to kill one, and keeps a
// mutant's run (and Stryker's timeout for it) short.
process.env.FC_NUM_RUNS ??= '25';

const unit = projects.find((project) => project.displayName === 'unit');

module.exports = {
  ...unit,
  testMatch: [
    '<rootDir>/apps/catalog/src/stock/**/*.spec.ts',
    '<rootDir>/apps/orders/src/orders/**/*.spec.ts',
    '<rootDir>/apps/orders/src/idempotency/**/*.spec.ts',
    '<rootDir>/apps/gateway/src/catalog/read-cache/**/*.spec.ts',
    '<rootDir>/apps/auth/src/login-limits/**/*.spec.ts',
    '<rootDir>/libs/common/src/errors/**/*.spec.ts',
    '<rootDir>/libs/common/src/pagination/**/*.spec.ts',
  ],
};
