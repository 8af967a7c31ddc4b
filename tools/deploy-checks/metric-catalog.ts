import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { BazaarMetrics } from '@app/common/ops';
import { ReadCacheMetrics } from '../../apps/gateway/src/public';
import { REPO_ROOT } from './kustomize';

/**
 * Every series name the apps can expose, taken from the metric objects themselves (not a list kept
 * by hand): a process's BazaarMetrics with its dependency gauges and Node's defaults, plus the
 * gateway's read-cache metrics. Histograms expose `_bucket`, `_sum` and `_count`.
 */
export interface MetricCatalog {
  /** Families (metric names as defined). */
  families: Set<string>;
  /** Series names a query can select. */
  series: Set<string>;
}

export async function appMetricCatalog(): Promise<MetricCatalog> {
  const metrics = new BazaarMetrics('metric-catalog');
  ReadCacheMetrics.for(metrics);
  const families = await metrics.registry.getMetricsAsJSON();
  const series = new Set<string>();
  for (const family of families) {
    // Histograms are selected by their _bucket, _sum and _count series, summaries by name, _sum, _count.
    const type = String(family.type);
    const suffixes =
      type === 'histogram' ? ['_bucket', '_sum', '_count'] : type === 'summary' ? ['', '_sum', '_count'] : [''];
    suffixes.forEach((suffix) => series.add(`${family.name}${suffix}`));
  }
  return { families: new Set(families.map((family) => family.name)), series };
}

/** prom-client's default process metrics, which keep their own names (see libs/common/src/ops/metrics.ts). */
export async function nodeDefaultMetricNames(): Promise<Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return new Set((await registry.getMetricsAsJSON()).map((family) => family.name));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      return entry === 'test' || entry === 'node_modules' ? [] : sourceFiles(path);
    }
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Metric names written in the apps' and libs' source, in files that use prom-client: every
 * `name: '...'` and every quoted `bazaar_...` literal. Checked against the catalog, so a metric
 * defined outside the objects appMetricCatalog builds can't escape the checks unseen.
 */
export function metricNamesInSource(): Array<{ file: string; name: string }> {
  return ['apps', 'libs'].flatMap((top) =>
    sourceFiles(join(REPO_ROOT, top))
      .map((path) => ({ path, text: readFileSync(path, 'utf8') }))
      .filter(({ text }) => text.includes("from 'prom-client'"))
      .flatMap(({ path, text }) => {
        const names = [
          ...[...text.matchAll(/\bname:\s*'([^']+)'/g)].map((match) => match[1]),
          ...[...text.matchAll(/'(bazaar_[a-z0-9_]+)'/g)].map((match) => match[1]),
        ];
        return [...new Set(names)].map((name) => ({ file: relative(REPO_ROOT, path), name }));
      }),
  );
}
