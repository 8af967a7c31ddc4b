import { SCENARIO_NAMES, ScenarioName } from './scenarios/scenario-names';

/** What `npm run bench -- …` was asked to do. */
export interface BenchOptions {
  /** Gateway base URL of a running stack; unset: the bench starts its own. */
  url?: string;
  /** Passed to the launcher as `--scale SERVICE=N` (own stack only). */
  scale: Record<string, number>;
  /** Passed to the launcher: use dist/ as it is. */
  build: boolean;
  durationS: number;
  warmupS: number;
  connections: number;
  scenarios: ScenarioName[];
  catalogSize: number;
  users: number;
  /** Rounds of every measurement; the median round is reported. */
  repeat: number;
  quick: boolean;
  /** Profile every replica with `node --cpu-prof` (own stack only) and summarise the profiles. */
  cpuProf: boolean;
  adminDatabaseUrl: string;
  /** With --url: the catalog database the floor reads (and product ids come from). */
  catalogDatabaseUrl?: string;
  outDir: string;
  /** Free text stored with the results (what changed, which machine). */
  label?: string;
  help: boolean;
}

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Starts Bazaar (its own private NATS and bazaar_bench_* databases, recreated each run) through the
launcher, seeds it, measures the references (floor, nats-roundtrip, argon2) and the scenarios with
autocannon, prints one table and writes it to bench/results/. See tools/bench/README.md.

  --scenarios a,b        ${SCENARIO_NAMES.join(', ')} (default: all)
  --duration S           Seconds measured per scenario and reference (default 10)
  --warmup S             Unrecorded seconds of the same load first (default 2)
  --connections N        Concurrent HTTP connections (default 50)
  --repeat N             Measure everything N times, in rounds, and report the median round (default 1)
  --quick                CI smoke: 3 s per scenario, 1 s warm-up, 20 users; exits non-zero only on
                         errors (socket errors, timeouts, 5xx, failed probes) or a crashed replica
  --catalog-size N       Products seeded (default 10000)
  --users N              Users registered and logged in (default 100)
  --scale SERVICE=N      Replicas, passed to the launcher (repeatable; default 1 each)
  --no-build             Passed to the launcher: run dist/ as it is
  --cpu-prof             Run every replica under node --cpu-prof and print the top self-time functions
  --url URL              Use a running gateway instead (e.g. http://127.0.0.1:3000); no seeding of
                         products (reads live ones from --catalog-database-url), no RSS of its processes
  --catalog-database-url URL   With --url: its catalog database (default bazaar_catalog on the admin server)
  --database-url URL     Postgres admin URL (default postgres://postgres@127.0.0.1:5432/postgres)
  --out DIR              Where results go (default bench/results)
  --label TEXT           Stored with the results
`;

const SWITCHES = ['--quick', '--no-build', '--cpu-prof', '--help', '-h'];
const VALUED = [
  '--scenarios',
  '--duration',
  '--warmup',
  '--connections',
  '--catalog-size',
  '--users',
  '--repeat',
  '--scale',
  '--url',
  '--catalog-database-url',
  '--database-url',
  '--out',
  '--label',
];

function positive(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value < min || value > max) {
    throw new BenchUsageError(`${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function collect(argv: readonly string[]): { switches: Set<string>; values: Map<string, string[]> } {
  const switches = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const at = argv[i].indexOf('=');
    const [flag, inline] =
      argv[i].startsWith('--') && at > 0 ? [argv[i].slice(0, at), argv[i].slice(at + 1)] : [argv[i]];
    if (SWITCHES.includes(flag) && inline === undefined) {
      switches.add(flag);
    } else if (VALUED.includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') {
        throw new BenchUsageError(`${flag} needs a value`);
      }
      values.set(flag, [...(values.get(flag) ?? []), value]);
    } else {
      throw new BenchUsageError(`Unknown option ${argv[i]}`);
    }
  }
  return { switches, values };
}

function parseScenarios(text: string | undefined): ScenarioName[] {
  if (text === undefined) {
    return [...SCENARIO_NAMES];
  }
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new BenchUsageError(`Unknown scenario(s) ${unknown.join(', ')}: choose from ${SCENARIO_NAMES.join(', ')}`);
  }
  // Always in the documented order, so tables of different runs line up.
  return SCENARIO_NAMES.filter((name) => names.includes(name));
}

function parseScale(pairs: string[]): Record<string, number> {
  const scale: Record<string, number> = {};
  for (const pair of pairs) {
    const [service, count] = pair.split('=');
    if (!['gateway', 'auth', 'catalog', 'orders'].includes(service) || count === undefined) {
      throw new BenchUsageError(
        `--scale takes SERVICE=N (gateway, auth, catalog, orders), got ${JSON.stringify(pair)}`,
      );
    }
    scale[service] = positive(count, `--scale ${service}`, 1, 32);
  }
  return scale;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { switches, values } = collect(argv);
  const last = (flag: string): string | undefined => values.get(flag)?.at(-1);
  const quick = switches.has('--quick');
  const url = last('--url')?.replace(/\/+$/, '');
  if (url !== undefined && !/^https?:\/\/[^/\s]+$/.test(url)) {
    throw new BenchUsageError('--url takes the gateway base URL, like http://127.0.0.1:3000');
  }
  const scale = parseScale(values.get('--scale') ?? []);
  const cpuProf = switches.has('--cpu-prof');
  if (url !== undefined && (Object.keys(scale).length > 0 || cpuProf)) {
    throw new BenchUsageError('--scale and --cpu-prof apply to the stack the bench starts, not to --url');
  }
  return {
    url,
    scale,
    build: !switches.has('--no-build'),
    durationS: positive(last('--duration') ?? (quick ? '3' : '10'), '--duration', 1, 3600),
    warmupS: positive(last('--warmup') ?? (quick ? '1' : '2'), '--warmup', 0, 600),
    connections: positive(last('--connections') ?? '50', '--connections', 1, 10_000),
    scenarios: parseScenarios(last('--scenarios')),
    catalogSize: positive(last('--catalog-size') ?? '10000', '--catalog-size', 10, 5_000_000),
    users: positive(last('--users') ?? (quick ? '20' : '100'), '--users', 1, 10_000),
    repeat: positive(last('--repeat') ?? '1', '--repeat', 1, 20),
    quick,
    cpuProf,
    adminDatabaseUrl: last('--database-url') ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    catalogDatabaseUrl: last('--catalog-database-url'),
    outDir: last('--out') ?? 'bench/results',
    label: last('--label'),
    help: switches.has('--help') || switches.has('-h'),
  };
}
