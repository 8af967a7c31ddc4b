/** The scenarios of issue 7, in the order they run and are reported. */
export const SCENARIO_NAMES = [
  'product-get',
  'product-search',
  'me',
  'order-place',
  'mixed',
  'login',
  'login-interference',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The scenarios the gateway's read cache serves: measured with it off, then on (own stack only). */
export const CACHEABLE_SCENARIOS: readonly ScenarioName[] = ['product-get', 'product-search'];

/** The report line of a cacheable scenario measured with the read cache on. */
export const cachedLine = (name: ScenarioName): string => `${name} (read cache)`;
