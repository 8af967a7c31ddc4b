/** What `npm run soak -- …` was asked to do. */
export interface SoakOptions {
  minutes: number;
  /** Requests per second over all connections: a steady load, not as fast as the stack answers. */
  rate: number;
  connections: number;
  catalogSize: number;
  users: number;
  build: boolean;
  outDir: string;
  label?: string;
  help: boolean;
}

export class SoakUsageError extends Error {
  override readonly name = 'SoakUsageError';
}

export const SOAK_USAGE = `Usage: npm run soak -- --minutes N [options]

Starts Bazaar with short retention settings (its own private NATS and bazaar_soak_* databases,
recreated each run), drives the bench's mixed load at a fixed rate for N minutes and records, every
minute, each table's rows and bytes, each event stream's bytes, every process's RSS and the p99.
Then judges: every bounded table and stream flat, RSS growth ≤ 10 % from minute 2 to the end.
Writes bench/results/<date>-<sha>-soak-<N>min.{json,md} and bench/results/latest-soak.md.

  --minutes N            Minutes of load (default 30; at least 6 for a verdict)
  --rate R               Requests per second over all connections (default 200)
  --connections N        Concurrent HTTP connections (default 20)
  --catalog-size N       Products seeded (default 10000)
  --users N              Users registered and logged in (default 100)
  --no-build             Passed to the launcher: run dist/ as it is
  --out DIR              Where results go (default bench/results)
  --label TEXT           Added to the result file names
`;

function numberIn(text: string | undefined, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || value < min || value > max) {
    throw new SoakUsageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = {
    minutes: 30,
    rate: 200,
    connections: 20,
    catalogSize: 10_000,
    users: 100,
    build: true,
    outDir: 'bench/results',
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--minutes':
        options.minutes = numberIn(value(), flag, 1, 24 * 60);
        break;
      case '--rate':
        options.rate = numberIn(value(), flag, 1, 100_000);
        break;
      case '--connections':
        options.connections = numberIn(value(), flag, 1, 1000);
        break;
      case '--catalog-size':
        options.catalogSize = numberIn(value(), flag, 1, 1_000_000);
        break;
      case '--users':
        options.users = numberIn(value(), flag, 1, 10_000);
        break;
      case '--no-build':
        options.build = false;
        break;
      case '--out':
        options.outDir = value() ?? '';
        if (options.outDir === '') {
          throw new SoakUsageError('--out needs a directory');
        }
        break;
      case '--label':
        options.label = value();
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new SoakUsageError(`Unknown option ${argv[i]}`);
    }
  }
  return options;
}
