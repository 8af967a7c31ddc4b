import { setTimeout as sleep } from 'node:timers/promises';
import { BenchStack } from './bench-stack';
import { cpuMeter } from './cpu-share';
import { combineRounds, medianBy } from './median';
import { BenchOptions } from './options';
import { OrderLedger } from './order-ledger';
import { prewarmReadCache } from './prewarm-read-cache';
import { readProcessMemory } from './process-memory';
import { RssSampler } from './rss-sampler';
import { Argon2Rate, measureArgon2, measureFloor, measureNatsRoundtrip, measureNestSlice } from './references';
import { BenchReport, ProcessMemoryRow, ScenarioOutcome } from './report-model';
import { LoadFigures } from './run-load';
import { runScenarios } from './run-scenarios';
import { SCENARIOS } from './scenarios';
import { ScenarioContext } from './scenarios/scenario';
import { CACHEABLE_SCENARIOS, cachedLine, ScenarioName } from './scenarios/scenario-names';
import { CatalogFixture, readCatalog, seedCatalog } from './seed-catalog';
import { seedUsers } from './seed-users';
import { accountStock } from './stock-accounting';

function say(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function fixture(options: BenchOptions, stack: BenchStack): Promise<CatalogFixture> {
  if (stack.mode === 'url') {
    const catalog = await readCatalog(stack.catalogDatabaseUrl, options.catalogSize);
    if (catalog.productIds.length === 0) {
      throw new Error('--url: the catalog database has no live product in stock to read');
    }
    return catalog;
  }
  const started = Date.now();
  const catalog = await seedCatalog(stack.catalogDatabaseUrl, options.catalogSize);
  say(`seeded ${catalog.productIds.length} products in ${Date.now() - started} ms`);
  return catalog;
}

const MEMORY_FIELD = { idle: 'idleMib', warm: 'warmMib', end: 'endMib' } as const;

function sampleMemory(stack: BenchStack, rows: ProcessMemoryRow[], phase: keyof typeof MEMORY_FIELD): void {
  for (const process of stack.processes) {
    const memory = readProcessMemory(process.pid);
    let row = rows.find((candidate) => candidate.pid === process.pid);
    if (!row && phase === 'warm') {
      continue; // a process of the cache-off stack, replaced before the idle sample
    }
    if (!row) {
      row = { id: process.id, pid: process.pid, bazaar: process.bazaar };
      rows.push(row);
    }
    if (memory) {
      row[MEMORY_FIELD[phase]] = memory.rssMib;
      row.peakMib = memory.peakMib;
    }
  }
}

function withRounds<T extends object>(runs: T[], rps: (run: T) => number): (T & { roundsRps?: number[] }) | undefined {
  const median = medianBy(runs, rps);
  return median && runs.length > 1 ? { ...median, roundsRps: runs.map(rps) } : median;
}

interface ReferenceRuns {
  floor: Array<LoadFigures & { poolSize: number }>;
  nestSlice: LoadFigures[];
  nats: LoadFigures[];
  argon2: Argon2Rate[];
}

interface Phase {
  scenarios: ScenarioName[];
  /** Measure the floor in this phase (the phase with the uncached product reads, when there are two). */
  floor: boolean;
  lineName?: (name: ScenarioName) => string;
}

/** One round: the references the chosen scenarios compare with, then the scenarios. */
async function round(
  rootDir: string,
  options: BenchOptions,
  stack: BenchStack,
  context: ScenarioContext,
  report: BenchReport,
  references: ReferenceRuns,
  phase: Phase,
  rss: RssSampler,
): Promise<ScenarioOutcome[]> {
  const load = {
    connections: options.connections,
    durationS: options.durationS,
    warmupS: options.warmupS,
    cpu: stack.mode === 'own-stack' ? cpuMeter(options.adminDatabaseUrl, 'bazaar_bench_%') : undefined,
    onMeasureStart: () => {
      sampleMemory(stack, report.memory, 'warm');
      rss.restart(report.memory);
    },
  };
  const chosen = new Set(phase.scenarios);
  if (phase.floor && (chosen.has('product-get') || chosen.has('product-search'))) {
    say('reference: floor…');
    references.floor.push(
      await measureFloor(rootDir, stack.catalogDatabaseUrl, stack.catalogPoolSize, context.catalog, load),
    );
  }
  if (phase.floor && chosen.has('product-get')) {
    say('reference: nest-slice…');
    references.nestSlice.push(
      await measureNestSlice(rootDir, stack.catalogDatabaseUrl, stack.catalogPoolSize, context.catalog, load),
    );
  }
  if (chosen.has('me')) {
    say('reference: nats-roundtrip…');
    references.nats.push(await measureNatsRoundtrip(rootDir, load));
  }
  if (chosen.has('login')) {
    say('reference: argon2…');
    references.argon2.push(await measureArgon2(rootDir, load));
  }
  return runScenarios(
    phase.scenarios,
    context,
    load,
    {
      afterEach: (outcome) => {
        const dead = stack.dead();
        if (dead.length > 0) {
          report.problems.push(`died during ${outcome.name}: ${dead.join(', ')} (log: ${stack.launcherLog})`);
        }
      },
      shouldStop: () => report.problems.length > 0,
    },
    phase.lineName,
  );
}

/**
 * Own stack: product-get and product-search are measured with the gateway's read cache off (the
 * stack starts that way, see main.ts), then every chosen scenario with the stack restarted at its
 * production default (cache on), the cacheable ones reported as `… (read cache)`.
 */
export function measuresReadCacheApart(options: BenchOptions, stack: { restartWith?: unknown }): boolean {
  return stack.restartWith !== undefined && options.scenarios.some((name) => CACHEABLE_SCENARIOS.includes(name));
}

async function rounds(
  options: BenchOptions,
  report: BenchReport,
  play: () => Promise<ScenarioOutcome[]>,
): Promise<ScenarioOutcome[]> {
  const all: ScenarioOutcome[][] = [];
  for (let index = 0; index < options.repeat && report.problems.length === 0; index++) {
    if (options.repeat > 1) {
      say(`round ${index + 1} of ${options.repeat}`);
    }
    all.push(await play());
  }
  return all.length === 0 ? [] : combineRounds(all);
}

/** Seeds, samples idle memory, measures every round, accounts for stock, samples memory again. */
export async function measureAll(
  rootDir: string,
  options: BenchOptions,
  stack: BenchStack,
  report: BenchReport,
): Promise<void> {
  const catalog = await fixture(options, stack);
  const context: ScenarioContext = { gatewayUrl: stack.gatewayUrl, catalog, ledger: new OrderLedger() };
  const references: ReferenceRuns = { floor: [], nestSlice: [], nats: [], argon2: [] };
  const rss = new RssSampler();
  const apart = measuresReadCacheApart(options, stack);
  const recordProcessIds = (): void => {
    report.processIds = {
      ...report.processIds,
      ...Object.fromEntries(stack.processes.map((process) => [String(process.pid), process.id])),
    };
  };
  recordProcessIds();
  let uncached: ScenarioOutcome[] = [];
  if (apart) {
    say('product reads with the read cache off…');
    const scenarios = options.scenarios.filter((name) => CACHEABLE_SCENARIOS.includes(name));
    const phase: Phase = { scenarios, floor: true };
    uncached = await rounds(options, report, () =>
      round(rootDir, options, stack, context, report, references, phase, rss),
    );
    say('restarting the stack with the read cache on (its default)…');
    await stack.restartWith!({ READ_CACHE_ENABLED: 'true' });
    context.gatewayUrl = stack.gatewayUrl;
    recordProcessIds();
    if (options.scenarios.includes('product-get')) {
      const started = Date.now();
      const warmed = await prewarmReadCache(context);
      say(
        `read every product once to warm the read cache in ${Date.now() - started} ms` +
          (warmed.non2xx + warmed.errors > 0 ? ` (${warmed.non2xx} non-2xx, ${warmed.errors} errors)` : ''),
      );
    }
  }
  if (options.scenarios.some((name) => SCENARIOS[name].needsUsers)) {
    const started = Date.now();
    const outcome = await seedUsers(stack.gatewayUrl, options.users);
    if (outcome.available) {
      context.users = outcome.users;
      say(`registered and logged in ${outcome.users.length} users in ${Date.now() - started} ms`);
    } else {
      context.usersMissing = outcome.reason;
      say(`no users: ${outcome.reason}`);
    }
  }
  // Idle: started, seeded, the seeding's garbage given a moment; before any load.
  await sleep(1000);
  sampleMemory(stack, report.memory, 'idle');

  const main: Phase = {
    scenarios: options.scenarios,
    floor: !apart,
    lineName: apart ? (name) => (CACHEABLE_SCENARIOS.includes(name) ? cachedLine(name) : name) : undefined,
  };
  const measured = await rounds(options, report, () =>
    round(rootDir, options, stack, context, report, references, main, rss),
  );
  rss.stop();
  report.references.floor = withRounds(references.floor, (r) => r.rps);
  report.references.nestSlice = withRounds(references.nestSlice, (r) => r.rps);
  report.references.natsRoundtrip = withRounds(references.nats, (r) => r.rps);
  report.references.argon2 = withRounds(references.argon2, (r) => r.perSecond);
  report.scenarios = [...uncached, ...measured];

  if (
    report.scenarios.some(
      (o) => o.status === 'measured' && SCENARIOS[o.name as keyof typeof SCENARIOS]?.placesOrders === true,
    )
  ) {
    say('accounting for stock…');
    report.stock = await accountStock(
      stack.catalogDatabaseUrl,
      catalog,
      context.ledger,
      stack.gatewayUrl,
      context.users ?? [],
    );
  }
  sampleMemory(stack, report.memory, 'end');
}
