import { FAULT_IDS, QUICK_FAULT_IDS } from './fault-catalog';

/** What `npm run chaos` was asked to do. */
export interface ChaosOptions {
  help: boolean;
  /** Short faults (NATS 5 s only, database cut 10 s, freeze 8 s), for CI. */
  quick: boolean;
  faults: string[];
  /** Seconds of steady load before each fault and after the system has recovered from it. */
  durationS: number;
  /** Virtual clients placing orders, reading, cancelling and logging in at once. */
  clients: number;
  /** Customers registered through the API; each client acts as one of them. */
  users: number;
  build: boolean;
  adminDatabaseUrl: string;
  outDir: string;
  label?: string;
}

export class ChaosUsageError extends Error {
  override readonly name = 'ChaosUsageError';
}

export const CHAOS_USAGE = `Usage: npm run chaos -- [options]

Starts Bazaar with every service at scale 2 (private NATS, its own bazaar_chaos_* databases behind
TCP proxies), drives a steady mixed load and injects the faults of issue 8 one at a time; after each,
waits for recovery and checks the invariants. Prints a table and writes chaos/results/.

Options
  --quick              Short faults for CI: NATS down 5 s only (no 60 s), catalog database cut 10 s,
                       orders replica frozen 8 s, 8 s of database latency.
  --faults a,b         Only these faults, in this order (default: all; see below).
  --duration S         Seconds of load before each fault and after recovery (default 10, --quick 3).
  --clients N          Virtual clients (default 8).
  --users N            Customers registered through the API (default 24).
  --no-build           Use dist/ as it is (the launcher builds when sources changed).
  --database-url URL   Postgres admin URL (env DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
  --out-dir DIR        Where results go (default chaos/results).
  --label TEXT         A note kept in the report.
  -h, --help           This help.

Faults: ${FAULT_IDS.join(', ')}
--quick runs: ${QUICK_FAULT_IDS.join(', ')}
`;

function positive(text: string | undefined, flag: string, max: number): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < 1 || value > max) {
    throw new ChaosUsageError(`${flag} takes an integer from 1 to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function parseChaosOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ChaosOptions {
  const options: ChaosOptions = {
    help: false,
    quick: false,
    faults: [],
    durationS: 0,
    clients: 8,
    users: 24,
    build: true,
    adminDatabaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    outDir: 'chaos/results',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=')
      ? [argv[i].split('=')[0], argv[i].slice(argv[i].indexOf('=') + 1)]
      : [argv[i]];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--quick':
        options.quick = true;
        break;
      case '--no-build':
        options.build = false;
        break;
      case '--faults':
        options.faults = (value() ?? '')
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean);
        break;
      case '--duration':
        options.durationS = positive(value(), '--duration', 3600);
        break;
      case '--clients':
        options.clients = positive(value(), '--clients', 200);
        break;
      case '--users':
        options.users = positive(value(), '--users', 1000);
        break;
      case '--database-url':
        options.adminDatabaseUrl = value() ?? '';
        break;
      case '--out-dir':
        options.outDir = value() ?? '';
        break;
      case '--label':
        options.label = value();
        break;
      default:
        throw new ChaosUsageError(`Unknown option ${argv[i]}`);
    }
  }
  const unknown = options.faults.filter((id) => !FAULT_IDS.includes(id));
  if (unknown.length > 0) {
    throw new ChaosUsageError(`Unknown fault(s) ${unknown.join(', ')}; known: ${FAULT_IDS.join(', ')}`);
  }
  if (options.faults.length === 0) {
    options.faults = [...(options.quick ? QUICK_FAULT_IDS : FAULT_IDS)];
  }
  options.durationS ||= options.quick ? 3 : 10;
  return options;
}
