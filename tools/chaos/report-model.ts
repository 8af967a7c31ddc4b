import { RecoveryFigures, TrafficFigures } from './request-checks';
import { InvariantResult } from './state-invariants';

/** One fault's row: what the clients saw while it lasted and afterwards, and what held. */
export interface FaultResult {
  id: string;
  title: string;
  graceful: boolean;
  notes: string[];
  /** Milliseconds from the start of that fault's load (baseline included). */
  timeline: {
    injectedMs: number;
    endedMs: number;
    healthyMs: number;
    loadStoppedMs: number;
    settledMs: number;
  };
  /** Every attempt from the start of the load to its end (baseline, fault, recovery, steady state). */
  traffic: TrafficFigures;
  /** Attempts answered before the fault was injected: the baseline. */
  baseline: TrafficFigures;
  recovery: RecoveryFigures & { healthyMs: number };
  invariants: InvariantResult[];
  passed: boolean;
}

export interface ChaosReport {
  meta: {
    startedAt: string;
    finishedAt: string;
    gitSha: string;
    gitDirty: boolean;
    node: string;
    cpus: number;
    loadAverageAtStart: number;
    quick: boolean;
    faults: string[];
    durationS: number;
    clients: number;
    users: number;
    scale: Record<string, number>;
    gatewayTimeoutMs: number;
    answerBoundMs: number;
    pendingBoundMs: number;
    stackEnv: Record<string, string>;
    launcherLog?: string;
    label?: string;
  };
  faults: FaultResult[];
  totals: { requests: number; succeeded: number; ordersConfirmed: number; ordersCancelled: number; events: number };
  /** Failures outside any fault's table: the stack would not start, a fault could not be injected… */
  problems: string[];
  passed: boolean;
}
