import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const MONITORING_DIR = join(__dirname, '..', '..', 'k8s', 'components', 'monitoring');
export const ALERTS_FILE = join(MONITORING_DIR, 'alerts.yaml');
export const RULE_TESTS_DIR = join(MONITORING_DIR, 'tests');
/** The name the rule tests list under `rule_files`. */
export const RULES_FILE_NAME = 'bazaar.rules.yaml';

interface PrometheusRule {
  kind?: string;
  spec?: { groups?: unknown[] };
}

/**
 * The PrometheusRule's groups as a plain Prometheus rules file (what promtool reads): the operator
 * hands Prometheus exactly `spec.groups`.
 */
export function rulesFileOf(prometheusRulePath = ALERTS_FILE): string {
  const rule = parse(readFileSync(prometheusRulePath, 'utf8')) as PrometheusRule;
  if (rule.kind !== 'PrometheusRule' || !Array.isArray(rule.spec?.groups) || rule.spec.groups.length === 0) {
    throw new Error(`${prometheusRulePath} is not a PrometheusRule with rule groups`);
  }
  return stringify({ groups: rule.spec.groups }, { lineWidth: 0 });
}
