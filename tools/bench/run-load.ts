import autocannon, { AutocannonRequest, AutocannonResult } from 'autocannon';
import { CpuMeter, OtherCpu } from './cpu-share';

export interface LoadSpec {
  /** Base URL (scheme, host, port); the requests carry the paths. */
  url: string;
  connections: number;
  /** A fixed request rate over all connections instead of as fast as the stack answers. */
  overallRate?: number;
  durationS: number;
  /** Seconds of the same load first, not recorded: JIT, pools and caches warm up. */
  warmupS: number;
  requests: AutocannonRequest[];
  /** Between the warm-up and the measured run. */
  beforeMeasure?: () => void;
  /** Also between the warm-up and the measured run: the bench's own hook (memory sampling). */
  onMeasureStart?: () => void;
  /** Measures who else used the CPU during the measured run. */
  cpu?: CpuMeter;
}

export interface LoadFigures {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Socket errors, including timeouts: requests that got no HTTP answer at all. */
  errors: number;
  timeouts: number;
  non2xx: number;
  status5xx: number;
  statusCounts: Record<string, number>;
  /**
   * The measured run on CLOCK_MONOTONIC in µs: the clock V8 stamps --cpu-prof samples with, so
   * profiles can be cut to exactly this window (profile-summary.ts).
   */
  window: { startUs: number; endUs: number };
  /** Others' CPU use during the measured run (Linux). */
  cpu?: OtherCpu;
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

const REQUEST_TIMEOUT_S = 10;

function percentile(sorted: Float64Array, fraction: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

function run(spec: LoadSpec, durationS: number, onLatency?: (ms: number) => void): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
        duration: durationS,
        timeout: REQUEST_TIMEOUT_S,
        requests: spec.requests,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onLatency) {
      instance.on('response', (_client, _status, _bytes, ms) => onLatency(ms));
    }
  });
}

/**
 * One measured autocannon run over loopback, after an unrecorded warm-up. Latencies are collected
 * from every response with sub-millisecond resolution (autocannon's own histogram rounds to whole
 * milliseconds, too coarse for p50s of 1–3 ms); throughput is responses / measured seconds.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadFigures> {
  if (spec.warmupS > 0) {
    await run(spec, spec.warmupS);
  }
  spec.beforeMeasure?.();
  spec.onMeasureStart?.();
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const stopMeter = await spec.cpu?.start();
  const startUs = monotonicUs();
  const result = await run(spec, spec.durationS, (ms) => {
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
  });
  const window = { startUs, endUs: monotonicUs() };
  const cpu = await stopMeter?.();
  const sorted = latencies.subarray(0, count).sort();
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count: n }]) => [status, Number(n)]),
  );
  return {
    requests: count,
    seconds: result.duration,
    rps: count / result.duration,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: count === 0 ? 0 : sorted[count - 1],
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    status5xx: result['5xx'],
    statusCounts,
    window,
    cpu,
  };
}
