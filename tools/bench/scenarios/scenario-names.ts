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
