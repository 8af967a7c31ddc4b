import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

export const MONITORING_DIR = join(__dirname, '..', '..', 'k8s', 'components', 'monitoring');
export const ALERTS_FILE = join(MONITORING_DIR, 'alerts.yaml');
export const RULE_TESTS_DIR = join(MONITORING_DIR, 'tests');
export const DASHBOARD_FILE = join(MONITORING_DIR, 'dashboards', 'bazaar.json');
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

/** Grafana's variables, replaced by values Prometheus can parse (the checks only parse the queries). */
const GRAFANA_VARIABLES: Array<[RegExp, string]> = [
  [/\$__rate_interval/g, '1m'],
  [/\$namespace/g, 'bazaar'],
  [/\$service/g, '.+'],
];

interface Dashboard {
  panels?: Array<{ id: number; targets?: Array<{ refId: string; expr: string }> }>;
}

/** The dashboard's queries as recording rules, so `promtool check rules` parses every one of them. */
export function dashboardQueriesAsRules(dashboardPath = DASHBOARD_FILE): string {
  const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as Dashboard;
  const rules = (dashboard.panels ?? []).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      record: `bazaar_dashboard:panel_${panel.id}_${target.refId}`,
      expr: GRAFANA_VARIABLES.reduce((expr, [variable, value]) => expr.replace(variable, value), target.expr),
    })),
  );
  return stringify({ groups: [{ name: 'bazaar.dashboard-queries', rules }] }, { lineWidth: 0 });
}
