/**
 * `npm run bench`: starts Bazaar (or uses a running gateway with --url), seeds it, measures the
 * references (floor, nats-roundtrip, argon2) and the scenarios of issue 7 with autocannon over
 * loopback, prints one table and writes it to bench/results/. See tools/bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchStack, startOwnStack, useRunningStack } from './bench-stack';
import { formatReport } from './format-report';
import { BENCH_USAGE, BenchOptions, BenchUsageError, parseBenchOptions } from './options';
import { summariseProfiles } from './profile-summary';
import { measureAll } from './measure';
import { BenchReport } from './report-model';
import { CACHEABLE_SCENARIOS, cachedLine } from './scenarios/scenario-names';
import { evaluateTargets } from './targets';
import { writeResults } from './write-results';

const ROOT_DIR = resolve(__dirname, '..', '..');

function say(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT_DIR, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

function newReport(options: BenchOptions, startedAt: Date, stack: BenchStack): BenchReport {
  return {
    meta: {
      startedAt: startedAt.toISOString(),
      gitSha: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
      gitDirty: git(['status', '--porcelain', '--', 'apps', 'libs']) !== '',
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      mode: stack.mode,
      quick: options.quick,
      scale: stack.mode === 'url' ? {} : { gateway: 1, auth: 1, catalog: 1, orders: 1, ...options.scale },
      connections: options.connections,
      durationS: options.durationS,
      warmupS: options.warmupS,
      catalogSize: options.catalogSize,
      users: options.users,
      repeat: options.repeat,
      label: options.label,
      loadAverageAtStart: loadavg()[0],
      launcherLog: stack.launcherLog,
    },
    references: {},
    scenarios: [],
    memory: [],
    targets: [],
    problems: [],
  };
}

function addRatios(report: BenchReport): void {
  const { floor, nestSlice, natsRoundtrip, argon2 } = report.references;
  for (const outcome of report.scenarios.filter((o) => o.figures)) {
    const rps = outcome.figures!.rps;
    if (outcome.name === 'product-get' && nestSlice) {
      outcome.nestSliceRatio = rps / nestSlice.rps;
    }
    const productRead = CACHEABLE_SCENARIOS.flatMap((name) => [name, cachedLine(name)]).includes(outcome.name);
    if (productRead && floor) {
      outcome.ratio = { to: 'floor', value: rps / floor.rps };
    } else if (outcome.name === 'me' && natsRoundtrip) {
      outcome.ratio = { to: 'nats-roundtrip', value: rps / natsRoundtrip.rps };
    } else if (outcome.name === 'login' && argon2) {
      outcome.ratio = { to: 'argon2', value: rps / argon2.perSecond };
    }
  }
}

/** Errors or a crash fail the run (also --quick); speed never does. */
function failures(report: BenchReport): string[] {
  const found = [...report.problems];
  for (const outcome of report.scenarios) {
    if (outcome.status === 'failed') {
      found.push(`${outcome.name}: ${outcome.reason}`);
    }
    const f = outcome.figures;
    if (f && (f.errors > 0 || f.status5xx > 0)) {
      found.push(`${outcome.name}: ${f.errors} socket errors/timeouts, ${f.status5xx} 5xx`);
    }
  }
  if (report.stock?.exact === false) {
    found.push('stock not accounted exactly');
  }
  return found;
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof BenchUsageError) {
      say(`${error.message} (npm run bench -- --help)`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  const startedAt = new Date();
  const workDir = join(ROOT_DIR, '.local', 'bench', startedAt.toISOString().replace(/[:.]/g, '-'));
  say(options.url ? `using ${options.url}` : 'starting the stack (private NATS, bazaar_bench_* databases)…');
  // Product reads are measured with the read cache off first (see measure.ts), then the stack restarts at its default.
  const readCacheOff: Record<string, string> = options.scenarios.some((name) => CACHEABLE_SCENARIOS.includes(name))
    ? { READ_CACHE_ENABLED: 'false' }
    : {};
  const stack = options.url ? useRunningStack(options) : await startOwnStack(options, ROOT_DIR, workDir, readCacheOff);
  const report = newReport(options, startedAt, stack);
  let stopping = false;
  const onSignal = (): void => {
    if (!stopping) {
      stopping = true;
      say('interrupted: stopping the stack');
      void stack.stop().finally(() => process.exit(130));
    }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await measureAll(ROOT_DIR, options, stack, report);
  } catch (error) {
    report.problems.push(`bench error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    say('stopping the stack…');
    stopping = true;
    await stack.stop();
  }
  const profileDir = join(workDir, 'profiles');
  if (options.cpuProf && existsSync(profileDir)) {
    const windows = report.scenarios.flatMap((outcome) => (outcome.figures ? [outcome.figures.window] : []));
    // Every pid the run had: the cache-off stack's too, which the restart replaced (named apart).
    const names = new Map([
      ...Object.entries(report.processIds ?? {}).map(([pid, id]): [number, string] => [
        Number(pid),
        `${id} (before the restart)`,
      ]),
      ...stack.processes.map((p): [number, string] => [p.pid, p.id]),
    ]);
    report.profiles = summariseProfiles(profileDir, names, windows);
    say(`profiles in ${profileDir}`);
  }
  addRatios(report);
  report.targets = evaluateTargets(report);
  process.stdout.write(`\n${formatReport(report)}\n`);
  const paths = writeResults(resolve(ROOT_DIR, options.outDir), report);
  say(`written ${[paths.json, paths.markdown, paths.latest].filter(Boolean).join(', ')}`);
  const failed = failures(report);
  if (failed.length > 0) {
    say(`FAILED (errors or a crash, not speed):\n  ${failed.join('\n  ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
