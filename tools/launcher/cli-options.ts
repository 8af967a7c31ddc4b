import { databaseUrlFor, isNatsUrlList, isPostgresUrl } from './addresses';
import { BACKENDS, BackendName, envPrefix, GATEWAY, isBackendName, isServiceName, ServiceName } from './services';

/** Everything the launcher was asked to do: flags first, then environment variables, then defaults. */
export interface LauncherOptions {
  help: boolean;
  build: boolean;
  rawLogs: boolean;
  exitOnCrash: boolean;
  startDepsInDocker: boolean;
  /** Take `spawn SERVICE` commands on stdin once up (control.ts): how a chaos tool replaces replicas. */
  controlStdin: boolean;
  gatewayPort: number;
  natsUrl: string;
  adminDatabaseUrl: string;
  databaseUrls: Record<BackendName, string>;
  opsPorts: Record<BackendName, number>;
  scale: Record<ServiceName, number>;
  readyTimeoutMs: number;
  /** The apps' own drain bound; the launcher waits a little longer before it kills. */
  shutdownGraceMs: number;
  /**
   * Extra `node` command-line flags for every replica (not the launcher), e.g. `--cpu-prof`, which
   * NODE_OPTIONS refuses; the benchmark uses it to profile the apps.
   */
  nodeArgs: string[];
}

/** A mistake in the command line or environment: printed with a hint at --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const MAX_REPLICAS = 32;

const SWITCHES = [
  '--no-build',
  '--raw-logs',
  '--exit-on-crash',
  '--start-deps-in-docker',
  '--control-stdin',
  '--help',
  '-h',
] as const;
const VALUED = [
  '--scale',
  '--port',
  '--ops-port',
  '--nats-url',
  '--database-url',
  '--service-database-url',
  '--ready-timeout-ms',
  '--node-options',
] as const;
type Switch = (typeof SWITCHES)[number];
type Valued = (typeof VALUED)[number];

interface RawArgs {
  switches: Set<Switch>;
  values: Map<Valued, string[]>;
}

/** Accepts `--flag value` and `--flag=value`; unknown flags are errors, not silently ignored. */
function splitArgs(argv: readonly string[]): RawArgs {
  const raw: RawArgs = { switches: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') ? splitOnce(argv[i], '=') : [argv[i], undefined];
    if ((SWITCHES as readonly string[]).includes(flag) && inline === undefined) {
      raw.switches.add(flag as Switch);
    } else if ((VALUED as readonly string[]).includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') {
        throw new UsageError(`${flag} needs a value`);
      }
      raw.values.set(flag as Valued, [...(raw.values.get(flag as Valued) ?? []), value]);
    } else if (flag === '--watch') {
      throw new UsageError('--watch is not supported: to work on one app, run `npx nest start <app> --watch`');
    } else {
      throw new UsageError(`Unknown option ${argv[i]}`);
    }
  }
  return raw;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function integer(text: string, what: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`${what} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function port(text: string, what: string): number {
  return integer(text, what, 1, 65535);
}

/** Parses the `SERVICE=VALUE` arguments of a repeatable flag. */
function perService(raw: RawArgs, flag: Valued): Array<[string, string]> {
  return (raw.values.get(flag) ?? []).map((pair) => {
    const [service, value] = splitOnce(pair, '=');
    if (value === undefined || value === '') {
      throw new UsageError(`${flag} takes SERVICE=VALUE, got ${JSON.stringify(pair)}`);
    }
    return [service, value];
  });
}

function backend(service: string, flag: string): BackendName {
  if (!isBackendName(service)) {
    throw new UsageError(`${flag}: unknown service ${JSON.stringify(service)} (one of auth, catalog, orders)`);
  }
  return service;
}

function last(raw: RawArgs, flag: Valued): string | undefined {
  return raw.values.get(flag)?.at(-1);
}

function parseScale(raw: RawArgs): Record<ServiceName, number> {
  const scale: Record<ServiceName, number> = { gateway: 1, auth: 1, catalog: 1, orders: 1 };
  for (const [service, count] of perService(raw, '--scale')) {
    if (!isServiceName(service)) {
      throw new UsageError(`--scale: unknown service ${JSON.stringify(service)} (gateway, auth, catalog or orders)`);
    }
    scale[service] = integer(count, `--scale ${service}`, 1, MAX_REPLICAS);
  }
  return scale;
}

function parseDatabaseUrls(raw: RawArgs, env: NodeJS.ProcessEnv, adminUrl: string): Record<BackendName, string> {
  const flags = new Map(
    perService(raw, '--service-database-url').map(([s, url]) => [backend(s, '--service-database-url'), url]),
  );
  const entries = BACKENDS.map((definition) => {
    const variable = `${envPrefix(definition.name)}_DATABASE_URL`;
    const url = flags.get(definition.name) ?? env[variable] ?? databaseUrlFor(adminUrl, definition.defaultDatabase);
    if (!isPostgresUrl(url)) {
      throw new UsageError(`The ${definition.name} database URL (${variable}) must be a postgres:// URL`);
    }
    return [definition.name, url] as const;
  });
  return Object.fromEntries(entries) as Record<BackendName, string>;
}

function parseOpsPorts(raw: RawArgs, env: NodeJS.ProcessEnv): Record<BackendName, number> {
  const flags = new Map(perService(raw, '--ops-port').map(([s, p]) => [backend(s, '--ops-port'), p]));
  const entries = BACKENDS.map((definition) => {
    const variable = `${envPrefix(definition.name)}_OPS_PORT`;
    const text = flags.get(definition.name) ?? env[variable] ?? String(definition.defaultOpsPort);
    return [definition.name, port(text, `The ${definition.name} ops port (${variable})`)] as const;
  });
  return Object.fromEntries(entries) as Record<BackendName, number>;
}

/** Space-separated flags; anything but a `-` flag would be taken by node as the script to run. */
function parseNodeArgs(text: string | undefined): string[] {
  const args = (text ?? '').split(/\s+/).filter(Boolean);
  const bad = args.find((arg) => !arg.startsWith('-'));
  if (bad !== undefined) {
    throw new UsageError(`--node-options takes node flags (like --cpu-prof), got ${JSON.stringify(bad)}`);
  }
  return args;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): LauncherOptions {
  const raw = splitArgs(argv);
  const adminDatabaseUrl = last(raw, '--database-url') ?? env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
  if (!isPostgresUrl(adminDatabaseUrl)) {
    throw new UsageError('The admin database URL (--database-url, DATABASE_URL) must be a postgres:// URL');
  }
  const natsUrl = last(raw, '--nats-url') ?? env.NATS_URL ?? DEFAULT_NATS_URL;
  if (!isNatsUrlList(natsUrl)) {
    throw new UsageError('The NATS URL (--nats-url, NATS_URL) must be nats://host:port[,nats://host:port...]');
  }
  const opsPorts = parseOpsPorts(raw, env);
  const gatewayPort = port(last(raw, '--port') ?? env.PORT ?? String(GATEWAY.defaultPort), 'The gateway port (PORT)');
  if (Object.values(opsPorts).includes(gatewayPort) || new Set(Object.values(opsPorts)).size < BACKENDS.length) {
    throw new UsageError('The gateway port and the three ops ports must all differ');
  }
  return {
    help: raw.switches.has('--help') || raw.switches.has('-h'),
    build: !raw.switches.has('--no-build'),
    rawLogs: raw.switches.has('--raw-logs'),
    exitOnCrash: raw.switches.has('--exit-on-crash'),
    startDepsInDocker: raw.switches.has('--start-deps-in-docker'),
    controlStdin: raw.switches.has('--control-stdin'),
    gatewayPort,
    natsUrl,
    adminDatabaseUrl,
    databaseUrls: parseDatabaseUrls(raw, env, adminDatabaseUrl),
    opsPorts,
    scale: parseScale(raw),
    readyTimeoutMs: integer(
      last(raw, '--ready-timeout-ms') ?? env.LAUNCHER_READY_TIMEOUT_MS ?? '60000',
      'The ready timeout (LAUNCHER_READY_TIMEOUT_MS)',
      1000,
      3_600_000,
    ),
    shutdownGraceMs: integer(env.SHUTDOWN_GRACE_MS ?? '10000', 'SHUTDOWN_GRACE_MS', 0, 300_000),
    nodeArgs: parseNodeArgs(last(raw, '--node-options')),
  };
}
