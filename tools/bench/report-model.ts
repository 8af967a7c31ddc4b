import { Argon2Rate } from './references';
import { LoadFigures } from './run-load';
import { StockAccount } from './stock-accounting';
import { ProfileSummary } from './profile-summary';

/** Everything one run measured: printed as a table, written as JSON and Markdown. */
export interface BenchReport {
  meta: {
    startedAt: string;
    gitSha: string;
    /** Uncommitted changes in apps/ or libs/ at the time of the run: the figures are for the working tree. */
    gitDirty: boolean;
    node: string;
    cpus: number;
    cpuModel: string;
    mode: 'own-stack' | 'url';
    quick: boolean;
    scale: Record<string, number>;
    connections: number;
    durationS: number;
    warmupS: number;
    catalogSize: number;
    users: number;
    repeat: number;
    label?: string;
    /** 1-minute load average before the run: > 2 on this 2-core machine means others were busy too. */
    loadAverageAtStart: number;
    launcherLog?: string;
  };
  references: {
    floor?: LoadFigures & { poolSize: number; roundsRps?: number[] };
    natsRoundtrip?: LoadFigures & { roundsRps?: number[] };
    /** The conventional Nest slice (references/nest-slice/), beside the floor. */
    nestSlice?: LoadFigures & { roundsRps?: number[] };
    argon2?: Argon2Rate & { roundsRps?: number[] };
  };
  scenarios: ScenarioOutcome[];
  memory: ProcessMemoryRow[];
  /**
   * Every process the stack ran, pid → id (`gateway-0`…): the stack restarts between the cache-off
   * and cache-on reads, so the cache-off lines' CPU belongs to pids no longer in `memory`.
   */
  processIds?: Record<string, string>;
  targets: TargetVerdict[];
  stock?: StockAccount;
  /** Replicas that died during the run, and the bench's own failures. */
  problems: string[];
  profiles?: ProfileSummary[];
}

export interface ScenarioOutcome {
  name: string;
  description: string;
  status: 'measured' | 'not-available' | 'failed';
  reason?: string;
  figures?: LoadFigures;
  /** product-get / floor, me / nats-roundtrip, login / argon2, when both were measured. */
  ratio?: { to: string; value: number };
  /** Uncached product-get / nest-slice, when both were measured. */
  nestSliceRatio?: number;
  /** order-place and mixed: confirmed orders per second in the measured run. */
  confirmedPerSecond?: number;
  extra?: Record<string, unknown>;
  loadAverage: number;
  /** With --repeat: req/s of every round (the figures are the median round's). */
  roundsRps?: number[];
}

export interface ProcessMemoryRow {
  id: string;
  pid: number;
  /** Bazaar's own processes carry the 150 MB target; tooling (launcher, nats-server) doesn't. */
  bazaar: boolean;
  idleMib?: number;
  /**
   * At the start of the last measured run, after its warm-up: the working set under load. Growth
   * over a run is end / warm; end / idle also counts the heap that load needs at all.
   */
  warmMib?: number;
  endMib?: number;
  /** Medians of the RSS sampled every 5 s in the first and the last minute of a run of ≥ 2 minutes. */
  firstMinuteMib?: number;
  lastMinuteMib?: number;
  peakMib?: number;
}

export interface TargetVerdict {
  scenario: string;
  target: string;
  verdict: 'met' | 'missed' | 'n/a';
  measured: string;
}
