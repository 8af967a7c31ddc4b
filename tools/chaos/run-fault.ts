import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosStack } from './chaos-stack';
import { ClientLedger } from './client-ledger';
import { readSnapshot } from './database-snapshot';
import { Fault, FaultOutcome } from './fault-catalog';
import { ChaosFixture, renewOldTokens } from './fixture';
import { replaceDead, waitHealthy } from './health';
import { LoadDriver } from './load-driver';
import { FaultResult } from './report-model';
import { checkRequests, isBusinessAnswer, recoveryFigures, succeeded, trafficFigures } from './request-checks';
import { settle } from './settle';
import { checkClientView, checkEvents, checkSettled, checkStock, InvariantResult } from './state-invariants';
import { readStreams } from './stream-reader';

export interface FaultRunSettings {
  stack: ChaosStack;
  fixture: ChaosFixture;
  ledger: ClientLedger;
  load: LoadDriver;
  quick: boolean;
  /** Steady load before the fault, and after the stack is healthy again. */
  durationMs: number;
  log(message: string): void;
}

const RECOVERY_BOUND_MS = 120_000;
const SETTLE_SLACK_MS = 3000;

/**
 * One fault, start to finish: steady load (the baseline), the fault, recovery (every replica ready
 * and answering over NATS again, replacements included), steady load again, the load stopped and
 * drained, then the invariants: the requests of this window, and the databases and streams as a
 * whole once nothing is in motion any more (so each check covers every fault so far).
 */
export async function runFault(fault: Fault, settings: FaultRunSettings): Promise<FaultResult> {
  const { stack, ledger, log } = settings;
  await renewOldTokens(stack.gatewayUrl, settings.fixture);
  const loadStart = Date.now();
  settings.load.start();
  await sleep(settings.durationMs);
  log(`${fault.id}: ${fault.title}`);
  let outcome: FaultOutcome;
  const invariants: InvariantResult[] = [];
  try {
    outcome = await fault.run({ stack, quick: settings.quick, log });
  } catch (error) {
    outcome = { injectedAt: Date.now(), endedAt: Date.now(), notes: [`fault failed: ${String(error)}`] };
    invariants.push({ name: 'fault injected', ok: false, violations: [String(error)], checked: 1 });
  }
  const died = await replaceDead(stack).catch((error: unknown) => [`replacing dead replicas failed: ${String(error)}`]);
  const health = await waitHealthy(stack, RECOVERY_BOUND_MS);
  invariants.push({
    name: 'every replica recovers (ready, answering over NATS)',
    ok: health.healthy && died.length === 0,
    violations: [...died, ...health.problems],
    checked: stack.replicas.all().length,
  });
  log(
    `${fault.id}: ${health.healthy ? 'healthy' : 'NOT healthy'} ${health.at - outcome.endedAt} ms after the fault ended`,
  );
  await sleep(settings.durationMs);
  await settings.load.stop();
  const loadStopped = Date.now();
  const attempts = ledger.attemptsBetween(loadStart, loadStopped);

  // The recovery bound runs from the last moment something could have been left pending with the stack healthy.
  const lastFailedPlacement = attempts
    .filter((a) => a.op === 'order-place' && !succeeded(a) && !isBusinessAnswer(a))
    .reduce((max, a) => Math.max(max, a.end), 0);
  const boundFrom = Math.max(health.at, lastFailedPlacement);
  const boundMs = stack.settings.pendingBoundMs + (fault.claimantMayStall ? stack.settings.stalledClaimantMs : 0);
  const settled = await settle(stack.databaseUrls, boundFrom + boundMs + SETTLE_SLACK_MS);
  log(`${fault.id}: ${settled.settled ? 'settled' : `not settled: ${settled.left.join(', ')}`}; checking`);

  const answerBoundMs = stack.settings.gatewayTimeoutMs + stack.settings.answerSlackMs;
  invariants.push(checkRequests(attempts, { fault, injectedAt: outcome.injectedAt, answerBoundMs }));
  const snapshot = await readSnapshot(stack.databaseUrls);
  invariants.push(checkStock(settings.fixture.initialStock, snapshot));
  invariants.push(checkClientView(ledger, snapshot));
  invariants.push(checkSettled(snapshot, settled.at - loadStopped, boundMs));
  invariants.push(
    checkEvents(snapshot, await readStreams(stack.nats.url, stack.nats.credentials, ['ORDERS', 'CATALOG', 'AUTH'])),
  );

  const rel = (t: number): number => t - loadStart;
  return {
    id: fault.id,
    title: fault.title,
    graceful: fault.graceful,
    notes: outcome.notes,
    timeline: {
      injectedMs: rel(outcome.injectedAt),
      endedMs: rel(outcome.endedAt),
      healthyMs: rel(health.at),
      loadStoppedMs: rel(loadStopped),
      settledMs: rel(settled.at),
    },
    traffic: trafficFigures(attempts),
    baseline: trafficFigures(attempts.filter((a) => a.end < outcome.injectedAt)),
    recovery: {
      ...recoveryFigures(attempts, outcome.injectedAt, outcome.endedAt),
      healthyMs: health.at - outcome.endedAt,
    },
    invariants,
    passed: invariants.every((invariant) => invariant.ok),
  };
}
