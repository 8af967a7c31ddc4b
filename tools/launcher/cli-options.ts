import { resolve } from 'node:path';
import { databaseUrlFor, isPostgresUrl } from './addresses';
import { BusOptions, parseBusOptions } from './bus-options';
import { integer, last, perService, port, RawArgs, splitArgs, UsageError } from './cli-args';
import { BACKENDS, BackendName, envPrefix, GATEWAY, isBackendName, isServiceName, ServiceName } from './services';

export { UsageError };

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
  /** The launcher's own nats-server (default) or an external bus, with its credentials. */
  bus: BusOptions;
  /**
   * Where what is generated once and kept lives (JWT key, admin password, the own NATS's
   * credentials and store): --state-dir / LAUNCHER_STATE_DIR, absolute; the checkout's `.local/` when unset.
   */
  stateDir?: string;
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

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const MAX_REPLICAS = 32;

function backend(service: string, flag: string): BackendName {
  if (!isBackendName(service)) {
    throw new UsageError(`${flag}: unknown service ${JSON.stringify(service)} (one of auth, catalog, orders)`);
  }
  return service;
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
  const bus = parseBusOptions(raw, env);
  const opsPorts = parseOpsPorts(raw, env);
  const gatewayPort = port(last(raw, '--port') ?? env.PORT ?? String(GATEWAY.defaultPort), 'The gateway port (PORT)');
  const ports = [gatewayPort, ...Object.values(opsPorts), ...(bus.kind === 'own' ? [bus.port] : [])];
  if (new Set(ports).size < ports.length) {
    throw new UsageError('The gateway port, the three ops ports and the own nats-server port must all differ');
  }
  const stateDir = last(raw, '--state-dir') ?? (env.LAUNCHER_STATE_DIR || undefined);
  return {
    help: raw.switches.has('--help') || raw.switches.has('-h'),
    build: !raw.switches.has('--no-build'),
    rawLogs: raw.switches.has('--raw-logs'),
    exitOnCrash: raw.switches.has('--exit-on-crash'),
    startDepsInDocker: raw.switches.has('--start-deps-in-docker'),
    controlStdin: raw.switches.has('--control-stdin'),
    gatewayPort,
    bus,
    stateDir: stateDir === undefined ? undefined : resolve(stateDir),
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
