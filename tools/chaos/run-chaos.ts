import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ChaosStack } from './chaos-stack';
import { ClientLedger } from './client-ledger';
import { readSnapshot } from './database-snapshot';
import { faultById } from './fault-catalog';
import { prepareFixture } from './fixture';
import { HttpClient } from './http-client';
import { LoadDriver } from './load-driver';
import { ChaosOptions } from './options';
import { ChaosReport } from './report-model';
import { runFault } from './run-fault';
import { stackSettings, Timings } from './stack-settings';

export interface ChaosRunSettings {
  rootDir: string;
  options: ChaosOptions;
  /** Service timings other than the defaults (the CI variant shortens the recovery bound). */
  timings?: Partial<Timings>;
  /** Prefix of the run's databases and name of its lock; `bazaar_chaos` unless a test picks its own. */
  databasePrefix?: string;
  log(message: string): void;
}

function git(rootDir: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: rootDir, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/**
 * The whole chaos run: its own stack, the seeded fixture, then each fault in turn under steady
 * load, with the invariants checked after each. Never throws for a failed check: the report says
 * what failed; it throws only when the run itself can't proceed (the stack won't start).
 */
export async function runChaos(settings: ChaosRunSettings): Promise<ChaosReport> {
  const { options, log } = settings;
  const startedAt = new Date();
  const stack = stackSettings(settings.timings);
  const report: ChaosReport = {
    meta: {
      startedAt: startedAt.toISOString(),
      finishedAt: '',
      gitSha: git(settings.rootDir, ['rev-parse', '--short', 'HEAD']) || 'unknown',
      gitDirty: git(settings.rootDir, ['status', '--porcelain', '--', 'apps', 'libs']) !== '',
      node: process.version,
      cpus: cpus().length,
      loadAverageAtStart: loadavg()[0],
      quick: options.quick,
      faults: options.faults,
      durationS: options.durationS,
      clients: options.clients,
      users: options.users,
      scale: { gateway: 2, auth: 2, catalog: 2, orders: 2 },
      gatewayTimeoutMs: stack.gatewayTimeoutMs,
      answerBoundMs: stack.gatewayTimeoutMs + stack.answerSlackMs,
      pendingBoundMs: stack.pendingBoundMs,
      stackEnv: stack.env,
      label: options.label,
    },
    faults: [],
    totals: { requests: 0, succeeded: 0, ordersConfirmed: 0, ordersCancelled: 0, events: 0 },
    problems: [],
    passed: false,
  };
  log('starting the stack (scale 2, private NATS, bazaar_chaos_* databases behind TCP proxies)…');
  const running = await ChaosStack.start({
    rootDir: settings.rootDir,
    workDir: join(settings.rootDir, '.local', 'chaos', startedAt.toISOString().replace(/[:.]/g, '-')),
    adminDatabaseUrl: options.adminDatabaseUrl,
    build: options.build,
    settings: stack,
    databasePrefix: settings.databasePrefix ?? 'bazaar_chaos',
    log,
  });
  report.meta.launcherLog = running.launcherLog;
  const http = new HttpClient(running.gatewayUrl, 3 * stack.gatewayTimeoutMs);
  try {
    log(`stack up at ${running.gatewayUrl}; seeding`);
    const fixture = await prepareFixture(running.gatewayUrl, running.databaseUrls.catalog, options.users);
    const ledger = new ClientLedger();
    const load = new LoadDriver(http, fixture, ledger, {
      clients: options.clients,
      thinkMs: 50,
      retryBudgetMs: options.quick ? 40_000 : 90_000,
    });
    for (const id of options.faults) {
      const result = await runFault(faultById(id), {
        stack: running,
        fixture,
        ledger,
        load,
        quick: options.quick,
        durationMs: options.durationS * 1000,
        log,
      });
      report.faults.push(result);
      log(`${id}: ${result.passed ? 'PASSED' : 'FAILED'}`);
    }
    const snapshot = await readSnapshot(running.databaseUrls);
    report.totals = {
      requests: ledger.attempts.length,
      succeeded: ledger.attempts.filter((a) => a.status !== undefined && a.status < 300).length,
      ordersConfirmed: snapshot.orders.filter((o) => o.status === 'confirmed').length,
      ordersCancelled: snapshot.orders.filter((o) => o.status === 'cancelled').length,
      events: Object.values(snapshot.outbox).reduce((sum, rows) => sum + rows.length, 0),
    };
  } catch (error) {
    report.problems.push(`chaos run error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    http.close();
    log('stopping the stack…');
    await running.stop();
  }
  report.meta.finishedAt = new Date().toISOString();
  report.passed = report.problems.length === 0 && report.faults.every((fault) => fault.passed);
  return report;
}
