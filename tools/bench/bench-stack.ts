import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { externalBusEnv } from '../launcher/bus-options';
import {
  BackendName,
  BENCH_DATABASE_NAMES,
  databaseUrl,
  holdBenchLock,
  recreateBenchDatabases,
} from './bench-databases';
import { freePort } from './free-port';
import { startLauncher } from './launcher-process';
import { BenchOptions } from './options';
import { startPrivateNats } from './private-nats';
import { isAlive } from './process-memory';

/** The system under test, however it was obtained. */
export interface BenchStack {
  mode: 'own-stack' | 'url';
  gatewayUrl: string;
  catalogDatabaseUrl: string;
  /** The catalog's total pool: the floor gets the same number of connections. */
  catalogPoolSize: number;
  /** Every process to watch (RSS, crashes); empty with --url. */
  processes: Array<{ id: string; pid: number; bazaar: boolean }>;
  launcherLog?: string;
  /** The bus's monitoring endpoint (own stack only): /jsz for stream sizes. */
  natsMonitorUrl?: string;
  /** Each service's database (own stack only). */
  databaseUrls?: Record<BackendName, string>;
  /** Ids of Bazaar processes that have died. */
  dead(): string[];
  /**
   * Own stack only: stops every replica and starts them again with `env` added (same databases,
   * data and NATS), e.g. to measure with the gateway's read cache off and then on. `processes`
   * then lists the new replicas.
   */
  restartWith?(env: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * All the bench's load comes from 127.0.0.1, so the per-address limits would refuse it: the
 * gateway's general limit (1200/min), auth's failed-login limits, which count a login as a
 * failure until its password check succeeds (50 logins in flight from one address = the limit),
 * and auth's registration limit (50 per 15 minutes; the bench registers up to 10,000 users).
 * The limiters stay on, doing their work on every request (an in-memory count; three SQL
 * statements per login, a short transaction per registration), only with thresholds the bench
 * can't reach. The same goes for the orders service's per-customer unit budget
 * (MAX_UNITS_PER_CUSTOMER, default 5000 per 24 h): a run places tens of thousands of orders of
 * ~4 units for as few as one user (`--users`), and each placement still takes the customer's lock
 * and sums its live orders, as in production.
 */
const BENCH_LIMITS = {
  RATE_LIMIT_RPM: '1000000',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
  LOGIN_MAX_FAILURES_PER_EMAIL: '1000',
  MAX_UNITS_PER_CUSTOMER: '100000000',
  REGISTRATION_MAX_ATTEMPTS_PER_ADDRESS: '100000',
};

/**
 * Starts Bazaar for the bench: its own NATS server (authorization on, handed to the launcher as an
 * external bus so it outlives restartWith), its own freshly recreated databases and free ports, so
 * it neither meets nor disturbs a developer's stack. Everything else is `npm start`'s
 * (the launcher builds when sources changed and starts replicas in migration-safe order).
 * The rate limiters stay on with thresholds the bench can't reach (BENCH_LIMITS); the demo
 * catalog seed is off (the bench seeds its own catalog).
 */
/** Whose databases a stack uses: the bench's, or another tool's (the soak), so the two can run side by side. */
export interface StackDatabases {
  names: Record<BackendName, string>;
  /** The advisory lock that keeps two runs off the same databases. */
  lockName: string;
}

const BENCH_DATABASES: StackDatabases = { names: BENCH_DATABASE_NAMES, lockName: 'bazaar-bench' };

export async function startOwnStack(
  options: BenchOptions,
  rootDir: string,
  workDir: string,
  env: Record<string, string> = {},
  databases: StackDatabases = BENCH_DATABASES,
): Promise<BenchStack> {
  const lock = await holdBenchLock(options.adminDatabaseUrl, databases.lockName);
  const cleanups: Array<() => Promise<void>> = [() => lock.release()];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => undefined);
    }
  };
  try {
    const urls = await recreateBenchDatabases(options.adminDatabaseUrl, databases.names);
    const nats = await startPrivateNats({ monitor: true });
    cleanups.push(() => nats.stop());
    const gatewayPort = await freePort();
    const opsPorts = await Promise.all(
      (['auth', 'catalog', 'orders'] as BackendName[]).map(async (s) => [s, await freePort()]),
    );
    mkdirSync(workDir, { recursive: true });
    const launcherLog = join(workDir, 'launcher.log');
    const args = [
      '--port',
      String(gatewayPort),
      ...opsPorts.flatMap(([service, port]) => ['--ops-port', `${service}=${port}`]),
      '--nats-url',
      nats.url,
      '--database-url',
      options.adminDatabaseUrl,
      ...Object.entries(urls).flatMap(([service, url]) => ['--service-database-url', `${service}=${url}`]),
      ...Object.entries(options.scale).flatMap(([service, count]) => ['--scale', `${service}=${count}`]),
      // JSON lines straight through: formatting them would cost the launcher CPU the apps don't pay in production.
      '--raw-logs',
      ...(options.build ? [] : ['--no-build']),
      ...(options.cpuProf ? ['--node-options', `--cpu-prof --cpu-prof-dir=${join(workDir, 'profiles')}`] : []),
    ];
    const baseEnv = { CATALOG_SEED_DEMO: 'false', ...BENCH_LIMITS, ...externalBusEnv(nats.url, nats.credentials) };
    let launcher = await startLauncher(rootDir, args, { ...baseEnv, ...env }, launcherLog);
    let launches = 1;
    cleanups.push(() => launcher.stop());
    let replicas: Array<{ id: string; pid: number; bazaar: boolean }> = [];
    const processes: BenchStack['processes'] = [];
    const track = (): void => {
      replicas = launcher.ready.replicas.map((r) => ({ id: r.id, pid: r.pid, bazaar: true }));
      processes.splice(
        0,
        processes.length,
        ...replicas,
        { id: 'launcher', pid: launcher.ready.launcherPid, bazaar: false },
        { id: 'nats-server', pid: nats.pid, bazaar: false },
      );
    };
    track();
    const catalogReplicas = replicas.filter((r) => r.id.startsWith('catalog-')).length;
    const stack: BenchStack = {
      mode: 'own-stack',
      gatewayUrl: launcher.ready.urls.api.replace(/\/v1$/, ''),
      catalogDatabaseUrl: urls.catalog,
      natsMonitorUrl: nats.monitorUrl,
      databaseUrls: urls,
      catalogPoolSize: Number(process.env.DB_POOL_SIZE ?? 10) * catalogReplicas,
      processes,
      launcherLog,
      dead: () => replicas.filter((r) => !isAlive(r.pid)).map((r) => `${r.id} (pid ${r.pid})`),
      restartWith: async (extraEnv) => {
        await launcher.stop();
        launches++;
        // Built already: the second launcher must run exactly the same dist/.
        const again = [...args.filter((arg) => arg !== '--no-build'), '--no-build'];
        const log = launcherLog.replace(/\.log$/, `-${launches}.log`);
        launcher = await startLauncher(rootDir, again, { ...baseEnv, ...env, ...extraEnv }, log);
        stack.launcherLog = log;
        stack.gatewayUrl = launcher.ready.urls.api.replace(/\/v1$/, '');
        track();
      },
      stop: stopAll,
    };
    return stack;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** --url: someone else's running stack; the bench only reads its catalog database. */
export function useRunningStack(options: BenchOptions): BenchStack {
  return {
    mode: 'url',
    gatewayUrl: options.url!,
    catalogDatabaseUrl: options.catalogDatabaseUrl ?? databaseUrl(options.adminDatabaseUrl, 'bazaar_catalog'),
    catalogPoolSize: Number(process.env.DB_POOL_SIZE ?? 10),
    processes: [],
    dead: () => [],
    stop: () => Promise.resolve(),
  };
}
