/**
 * `npm run soak -- --minutes N`: Bazaar under a steady mixed load for N minutes, with short
 * retention settings, recording every minute what accumulates (tables, streams), RSS and p99, and
 * judging that what retention bounds levels off and no process keeps growing. See
 * docs/operations.md, "Retention", and tools/soak/verdict.ts for the rules.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { BackendName } from '../bench/bench-databases';
import { BenchStack, startOwnStack, StackDatabases } from '../bench/bench-stack';
import { parseBenchOptions } from '../bench/options';
import { prewarmReadCache } from '../bench/prewarm-read-cache';
import { OrderLedger } from '../bench/order-ledger';
import { readProcessMemory } from '../bench/process-memory';
import { runLoad } from '../bench/run-load';
import { mixed } from '../bench/scenarios/mixed';
import { ScenarioContext } from '../bench/scenarios/scenario';
import { seedCatalog } from '../bench/seed-catalog';
import { renewTokens, seedUsers } from '../bench/seed-users';
import { parseSoakOptions, SOAK_USAGE, SoakOptions, SoakUsageError } from './options';
import { formatSoak, judgeSoak, MinuteRow, SoakReport } from './report';
import { readStreams, readTables } from './samplers';
import { median } from './verdict';

const ROOT_DIR = resolve(__dirname, '..', '..');

/**
 * Retention short enough to bite within a soak: outbox rows and idempotency keys kept 3 minutes
 * (production: 24 h each), keys swept every 30 s, each stream capped at 4 MiB (production: 1 GiB),
 * which the mixed load fills within minutes. Everything else as in production.
 */
export const SOAK_RETENTION_ENV: Record<string, string> = {
  OUTBOX_RETENTION_HOURS: '0.05',
  IDEMPOTENCY_TTL_HOURS: '0.05',
  IDEMPOTENCY_CLEANUP_INTERVAL_MS: '30000',
  EVENT_STREAM_MAX_BYTES: String(4 * 1024 * 1024),
};

/** Its own databases and lock: a soak and a bench can share a Postgres server. */
const SOAK_DATABASES: StackDatabases = {
  names: { auth: 'bazaar_soak_auth', catalog: 'bazaar_soak_catalog', orders: 'bazaar_soak_orders' },
  lockName: 'bazaar-soak',
};

/** Access tokens live ≤ 15 minutes. */
const TOKEN_RENEWAL_MINUTES = 10;
const RSS_SAMPLE_MS = 5000;

function say(message: string): void {
  process.stderr.write(`soak: ${message}\n`);
}

function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT_DIR, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Whether the server reclaims dead rows on its own, as every production server does. */
async function autovacuumSetting(adminUrl: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ autovacuum: string }>('SHOW autovacuum');
    return rows[0].autovacuum;
  } finally {
    await client.end();
  }
}

async function readAll(stack: BenchStack): Promise<Pick<MinuteRow, 'tables' | 'streams'>> {
  const urls = stack.databaseUrls!;
  const tables = (
    await Promise.all((Object.keys(urls) as BackendName[]).map((service) => readTables(service, urls[service])))
  ).flat();
  const streams = await readStreams(stack.natsMonitorUrl!);
  return { tables, streams };
}

async function soak(options: SoakOptions, stack: BenchStack, report: SoakReport): Promise<void> {
  const catalog = await seedCatalog(stack.catalogDatabaseUrl, options.catalogSize);
  const seeded = await seedUsers(stack.gatewayUrl, options.users);
  if (!seeded.available) {
    throw new Error(`No users: ${seeded.reason}`);
  }
  const context: ScenarioContext = {
    gatewayUrl: stack.gatewayUrl,
    catalog,
    users: seeded.users,
    ledger: new OrderLedger(),
  };
  // Every product read once first: the read cache fills to its steady size before minute 1, so
  // RSS from minute 2 on measures what stays, not a cache still filling (at 55 reads/s over 10,000
  // products it would take most of a 30-minute run).
  const warmed = await prewarmReadCache(context);
  if (warmed.errors + warmed.non2xx > 0) {
    report.problems.push(`warming the read cache: ${warmed.non2xx} non-2xx, ${warmed.errors} errors`);
  }
  const requests = mixed.requests(context);
  for (const process of stack.processes) {
    report.rssSamples[process.id] = [];
  }
  report.meta.judgedProcesses = stack.processes.filter((p) => p.bazaar).map((p) => p.id);
  for (let minute = 1; minute <= options.minutes; minute++) {
    if (minute > 1 && (minute - 1) % TOKEN_RENEWAL_MINUTES === 0) {
      await renewTokens(stack.gatewayUrl, seeded.users);
    }
    const samples: Record<string, number[]> = Object.fromEntries(stack.processes.map((p) => [p.id, []]));
    const sample = (): void => {
      for (const process of stack.processes) {
        const memory = readProcessMemory(process.pid);
        if (memory) {
          samples[process.id].push(memory.rssMib);
        }
      }
    };
    const sampler = setInterval(sample, RSS_SAMPLE_MS);
    const figures = await runLoad({
      url: stack.gatewayUrl,
      connections: options.connections,
      overallRate: options.rate,
      durationS: 60,
      warmupS: 0,
      requests,
    });
    clearInterval(sampler);
    const readings = await readAll(stack);
    for (const [id, values] of Object.entries(samples)) {
      report.rssSamples[id].push(values);
    }
    const row: MinuteRow = {
      minute,
      rps: figures.rps,
      p99Ms: figures.p99Ms,
      errors: figures.errors,
      status5xx: figures.status5xx,
      loadAverage: loadavg()[0],
      ordersConfirmed: context.ledger.orders,
      ...readings,
      rssMib: Object.fromEntries(Object.entries(samples).map(([id, values]) => [id, median(values)])),
    };
    report.minutes.push(row);
    const outbox = row.tables.filter((t) => t.table.endsWith('.outbox')).map((t) => `${t.table}=${t.rows}`);
    say(
      `minute ${minute}/${options.minutes} (load ${row.loadAverage.toFixed(1)}): ${row.rps.toFixed(0)} req/s, p99 ${row.p99Ms.toFixed(1)} ms, ` +
        `${row.errors + row.status5xx} errors, ${row.ordersConfirmed} orders, ${outbox.join(' ')}, ` +
        `streams ${row.streams.map((s) => `${s.stream}=${(s.bytes / 1048576).toFixed(1)}MiB`).join(' ')}`,
    );
    if (row.errors + row.status5xx > 0) {
      report.problems.push(`minute ${minute}: ${row.errors} socket errors, ${row.status5xx} 5xx`);
    }
    const dead = stack.dead();
    if (dead.length > 0) {
      report.problems.push(`crashed: ${dead.join(', ')}`);
      return;
    }
  }
}

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = parseSoakOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof SoakUsageError) {
      process.stderr.write(`${error.message}\n\n${SOAK_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(SOAK_USAGE);
    return 0;
  }
  const startedAt = new Date();
  const stamp = startedAt
    .toISOString()
    .replace(/:\d\d\.\d+Z$/, '')
    .replace('T', '-')
    .replace(':', '');
  const bench = {
    ...parseBenchOptions([]),
    build: options.build,
    catalogSize: options.catalogSize,
    users: options.users,
    connections: options.connections,
  };
  const workDir = join(ROOT_DIR, '.local', 'soak', stamp);
  say(`starting Bazaar (bazaar_soak_* databases, private NATS) with ${JSON.stringify(SOAK_RETENTION_ENV)}…`);
  const autovacuum = await autovacuumSetting(bench.adminDatabaseUrl);
  if (autovacuum !== 'on') {
    say('autovacuum is off on this server: dead rows are never reclaimed, so table bytes are not judged');
  }
  const stack = await startOwnStack(bench, ROOT_DIR, workDir, SOAK_RETENTION_ENV, SOAK_DATABASES);
  const report: SoakReport = {
    meta: {
      startedAt: startedAt.toISOString(),
      gitSha: gitSha(),
      node: process.version,
      cpus: cpus().length,
      minutes: options.minutes,
      rate: options.rate,
      connections: options.connections,
      catalogSize: options.catalogSize,
      users: options.users,
      retentionEnv: SOAK_RETENTION_ENV,
      autovacuum,
      judgedProcesses: [],
      label: options.label,
    },
    minutes: [],
    rssSamples: {},
    verdicts: [],
    problems: [],
  };
  const stop = (): void => {
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    await soak(options, stack, report);
  } catch (error) {
    report.problems.push(`the run stopped: ${(error as Error).message}`);
  } finally {
    process.removeListener('SIGINT', stop);
    await stack.stop();
  }
  report.verdicts = judgeSoak(report.minutes, report.rssSamples, {
    autovacuum: report.meta.autovacuum,
    judgedProcesses: report.meta.judgedProcesses,
  });
  const markdown = formatSoak(report);
  mkdirSync(options.outDir, { recursive: true });
  const base = join(
    options.outDir,
    `${stamp}-${report.meta.gitSha}-soak-${options.minutes}min${options.label ? `-${options.label}` : ''}`,
  );
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  writeFileSync(join(options.outDir, 'latest-soak.md'), markdown);
  process.stdout.write(markdown);
  say(`written to ${base}.{json,md} and latest-soak.md (launcher log: ${stack.launcherLog})`);
  const failed = report.problems.length > 0 || report.verdicts.some((v) => !v.ok);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
