import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { K8sObject } from './k8s-objects';
import { K8S_DIR, REPO_ROOT, renderKustomization, renderOverlayVariant } from './kustomize';
import { internalLinkAnchors, markdownAnchors } from './markdown-anchors';
import { appMetricCatalog, MetricCatalog, metricNamesInSource, nodeDefaultMetricNames } from './metric-catalog';
import { metricNamesIn, occurrencesWithout } from './promql';
import { selectorMatches } from './k8s-objects';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  annotations?: Record<string, string>;
}

/** Series the alerts read from outside Bazaar: kube-state-metrics (v2) and Prometheus' own `up`. */
const EXTERNAL_METRICS = new Set([
  'up',
  'kube_deployment_status_replicas_available',
  'kube_deployment_spec_replicas',
  'kube_pod_container_status_restarts_total',
  'kube_horizontalpodautoscaler_status_current_replicas',
  'kube_horizontalpodautoscaler_spec_max_replicas',
  'kube_statefulset_status_replicas_ready',
]);
const PART_OF_BAZAAR = 'app_kubernetes_io_part_of="bazaar"';
const SCOPE_JOIN = /\band on \(namespace\) bazaar:namespace\s*$/;

function rulesOf(objects: K8sObject[]): Rule[] {
  const prometheusRule = objects.find((object) => object.kind === 'PrometheusRule');
  return (prometheusRule?.spec.groups ?? []).flatMap((group: { rules: Rule[] }) => group.rules);
}

const guide = readFileSync(join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');

describe('monitoring (components/monitoring in overlays/prod)', () => {
  let objects: K8sObject[];
  let rules: Rule[];
  let alerts: Rule[];
  let catalog: MetricCatalog;

  beforeAll(async () => {
    objects = renderKustomization(join(K8S_DIR, 'overlays', 'prod'));
    rules = rulesOf(objects);
    alerts = rules.filter((rule) => rule.alert !== undefined);
    catalog = await appMetricCatalog();
  });

  describe('metric names', () => {
    it('names every metric the apps define bazaar_*, except Node.js process defaults', async () => {
      const nodeDefaults = await nodeDefaultMetricNames();

      const unprefixed = [...catalog.families].filter((name) => !name.startsWith('bazaar_') && !nodeDefaults.has(name));

      expect(catalog.families.size).toBeGreaterThan(nodeDefaults.size);
      expect(unprefixed).toEqual([]);
    });

    it('finds every metric name written in the source in the catalog the checks use', () => {
      const written = metricNamesInSource();

      expect(written.length).toBeGreaterThan(10);
      expect(written.filter(({ name }) => !catalog.families.has(name))).toEqual([]);
    });
  });

  describe('alerts', () => {
    it('links every alert to a runbook entry: runbook_url ends in an anchor of docs/operations.md', () => {
      const anchors = markdownAnchors(guide);
      const broken = alerts
        .map((rule) => ({ alert: rule.alert, url: rule.annotations?.runbook_url ?? '' }))
        .filter(({ url }) => !/\/docs\/operations\.md#/.test(url) || !anchors.has(url.split('#')[1]));

      expect(alerts.length).toBeGreaterThan(0);
      expect(broken).toEqual([]);
    });

    it('points every runbook_url at one base, so an overlay can repoint them together', () => {
      const bases = new Set(alerts.map((rule) => rule.annotations?.runbook_url?.split('#')[0]));

      expect([...bases]).toHaveLength(1);
    });

    it("scopes every alert to Bazaar's namespace through the scope rule, which names the overlay's namespace", () => {
      const scope = rules.find((rule) => rule.record === 'bazaar:namespace');

      expect(alerts.filter((rule) => !SCOPE_JOIN.test(rule.expr)).map((rule) => rule.alert)).toEqual([]);
      expect(scope?.expr).toBe('label_replace(vector(1), "namespace", "bazaar", "", "")');
    });

    it('follows the overlay to another namespace without an edit to the rules', () => {
      const renamed = renderOverlayVariant('prod', (kustomization) =>
        kustomization.replace(/^namespace: bazaar$/m, 'namespace: shop'),
      );

      expect(rulesOf(renamed).find((rule) => rule.record === 'bazaar:namespace')?.expr).toBe(
        'label_replace(vector(1), "namespace", "shop", "", "")',
      );
    });

    it("selects Bazaar's own series by the label its ServiceMonitors add", () => {
      const unscoped = alerts.flatMap((rule) =>
        metricNamesIn(rule.expr)
          .filter((name) => catalog.series.has(name) && occurrencesWithout(rule.expr, name, PART_OF_BAZAAR) > 0)
          .map((name) => `${rule.alert}: ${name}`),
      );

      expect(unscoped).toEqual([]);
    });

    it('queries only metrics the apps expose, kube-state-metrics or recorded rules', () => {
      const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
      const unknown = alerts.flatMap((rule) =>
        metricNamesIn(rule.expr)
          .filter((name) => !catalog.series.has(name) && !EXTERNAL_METRICS.has(name) && !recorded.has(name))
          .map((name) => `${rule.alert}: ${name}`),
      );

      expect(unknown).toEqual([]);
    });
  });

  describe('ServiceMonitors', () => {
    it("copy app.kubernetes.io/part-of onto the series, and only select Services that carry Bazaar's", () => {
      const monitors = objects.filter((object) => object.kind === 'ServiceMonitor');
      const services = objects.filter((object) => object.kind === 'Service');
      const problems = monitors.flatMap((monitor) => [
        ...(monitor.spec.targetLabels?.includes('app.kubernetes.io/part-of')
          ? []
          : [`${monitor.metadata.name}: no targetLabels app.kubernetes.io/part-of`]),
        ...services
          .filter((service) => selectorMatches(monitor.spec.selector, service.metadata.labels))
          .filter((service) => service.metadata.labels?.['app.kubernetes.io/part-of'] !== 'bazaar')
          .map((service) => `${monitor.metadata.name}: selects ${service.metadata.name} without part-of bazaar`),
      ]);

      expect(monitors).toHaveLength(2);
      expect(problems).toEqual([]);
    });
  });

  describe('Grafana dashboard', () => {
    interface Panel {
      id: number;
      type: string;
      title: string;
      datasource?: { uid?: string };
      targets?: Array<{ expr: string; datasource?: { uid?: string } }>;
    }
    let configMap: K8sObject | undefined;
    let panels: Panel[];
    let exprs: string[];

    beforeAll(() => {
      configMap = objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'bazaar-dashboard');
      const dashboard = JSON.parse(configMap?.data?.['bazaar.json'] ?? '{}');
      panels = dashboard.panels ?? [];
      exprs = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    });

    it("ships as a ConfigMap Grafana's sidecar loads, under a fixed name and small enough for kubectl apply", () => {
      expect(configMap?.metadata.labels?.grafana_dashboard).toBe('1');
      // Client-side apply copies the object into an annotation, limited to 256 KiB.
      expect(Buffer.byteLength(configMap!.data!['bazaar.json'])).toBeLessThan(200 * 1024);
    });

    it('queries only metrics the apps expose', () => {
      const unknown = exprs.flatMap((expr) => metricNamesIn(expr).filter((name) => !catalog.series.has(name)));

      expect(exprs.length).toBeGreaterThan(10);
      expect(unknown).toEqual([]);
    });

    it("selects only Bazaar's series, in the namespace chosen on the dashboard", () => {
      const unscoped = exprs.flatMap((expr) =>
        metricNamesIn(expr)
          .filter(
            (name) =>
              occurrencesWithout(expr, name, PART_OF_BAZAAR) > 0 ||
              occurrencesWithout(expr, name, 'namespace="$namespace"') > 0,
          )
          .map((name) => `${name} in ${expr}`),
      );

      expect(unscoped).toEqual([]);
    });

    it('shows rate, errors and duration of the HTTP routes and RPC subjects, and every dependency gauge', () => {
      const queried = new Set(exprs.flatMap((expr) => metricNamesIn(expr)));

      expect(
        [
          'bazaar_http_requests_total',
          'bazaar_http_request_duration_seconds_bucket',
          'bazaar_rpc_server_duration_seconds_count',
          'bazaar_rpc_server_duration_seconds_bucket',
          'bazaar_rpc_client_duration_seconds_count',
          ...[...catalog.families].filter((name) => /^bazaar_(outbox|db_pool|nats)_/.test(name)),
        ].filter((name) => !queried.has(name)),
      ).toEqual([]);
    });

    it('reads every panel from the datasource variable, with unique panel ids', () => {
      const queryPanels = panels.filter((panel) => panel.targets);

      expect(queryPanels.filter((panel) => panel.datasource?.uid !== '${datasource}').map((p) => p.title)).toEqual([]);
      expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    });
  });

  describe('docs/operations.md', () => {
    it("computes the same anchors as the guide's own links (the runbook check's premise)", () => {
      const anchors = markdownAnchors(guide);

      expect(internalLinkAnchors(guide).filter((anchor) => !anchors.has(anchor))).toEqual([]);
    });
  });
});
