import { metricNamesIn, occurrencesWithout } from './promql';

describe(metricNamesIn.name, () => {
  it('finds selected metrics, bare or with matchers, and skips functions, aggregations and label lists', () => {
    const expr = `histogram_quantile(0.99, sum by (namespace, le) (rate(bazaar_x_bucket{job="gateway", le!="up"}[5m]))) > 1
      and on (namespace) bazaar:namespace or absent(up) unless max without (pod) (process_cpu_seconds_total offset 5m)`;

    expect(metricNamesIn(expr).sort()).toEqual([
      'bazaar:namespace',
      'bazaar_x_bucket',
      'process_cpu_seconds_total',
      'up',
    ]);
  });

  it("reads Grafana's variables as what they are, not metrics", () => {
    expect(metricNamesIn('rate(bazaar_y_total{namespace="$namespace"}[$__rate_interval])')).toEqual(['bazaar_y_total']);
  });
});

describe(occurrencesWithout.name, () => {
  it('counts the selectors of a metric that lack a matcher, a bare name included', () => {
    const expr = 'a_total{x="1", p="b"} / a_total{p="b"} + a_total + a_total_other{y="2"}';

    expect(occurrencesWithout(expr, 'a_total', 'p="b"')).toBe(1);
    expect(occurrencesWithout(expr, 'a_total', 'x="1"')).toBe(2);
  });
});
