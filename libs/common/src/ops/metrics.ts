import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { DependencyGauges } from './dependency-gauges';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The process's Prometheus metrics. One set per process, whatever number of Nest apps it hosts.
 *
 * Every metric Bazaar defines is named `bazaar_*`, so a shared Prometheus tells ours from another
 * team's `http_requests_total`. Node's default process metrics (`process_*`, `nodejs_*`) keep the
 * names prom-client gives them: they mean the same in every Node app, the community dashboards and
 * alerts for Node read them under those names, and the labels every scrape adds (`namespace`,
 * `job`, `app_kubernetes_io_part_of`) already tell whose process they describe.
 */
export class BazaarMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'bazaar_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'bazaar_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly rpcServerDuration = new Histogram({
    name: 'bazaar_rpc_server_duration_seconds',
    help: 'NATS requests handled by this service, by subject and outcome (ok or error code)',
    labelNames: ['pattern', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly rpcClientDuration = new Histogram({
    name: 'bazaar_rpc_client_duration_seconds',
    help: 'NATS requests sent by this process, by subject and outcome (ok or error code)',
    labelNames: ['pattern', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** NATS connections, database pools and outboxes: their owners attach probes, read at scrape time. */
  readonly dependencies = new DependencyGauges(this.registry);

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }
}

let instance: BazaarMetrics | undefined;

export function processMetrics(service: string): BazaarMetrics {
  instance ??= new BazaarMetrics(service);
  return instance;
}
