import { Attempt } from './client-ledger';
import { Fault } from './fault-catalog';
import { InvariantResult } from './state-invariants';

/** A request that got what the contract promises in normal operation. */
export function succeeded(attempt: Attempt): boolean {
  return attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
}

/**
 * Answers that are part of normal business, not failures: stock ran out (the hot products are
 * meant to), or a retry met its own first request still in flight (the contract's answer to it).
 */
export function isBusinessAnswer(attempt: Attempt): boolean {
  return attempt.status === 409 && (attempt.code === 'insufficient-stock' || attempt.code === 'idempotency-key-in-use');
}

/** `503`, `504`, `connection`, `timeout`: how an attempt is counted in the table. */
export function outcomeLabel(attempt: Attempt): string {
  return attempt.failure ?? String(attempt.status);
}

export interface TrafficFigures {
  requests: number;
  succeeded: number;
  /** Non-success, non-business outcomes by status (or `connection` / `timeout`). */
  errors: Record<string, number>;
  maxLatencyMs: number;
  /** Requests that met a kept-alive connection the server had just closed, and were resent (not errors). */
  resentOnClosedConnection: number;
}

export function trafficFigures(attempts: Attempt[]): TrafficFigures {
  const errors: Record<string, number> = {};
  for (const attempt of attempts.filter((a) => !succeeded(a) && !isBusinessAnswer(a) && !a.staleConnection)) {
    errors[outcomeLabel(attempt)] = (errors[outcomeLabel(attempt)] ?? 0) + 1;
  }
  return {
    requests: attempts.length,
    succeeded: attempts.filter(succeeded).length,
    errors,
    maxLatencyMs: attempts.reduce((max, a) => Math.max(max, a.end - a.start), 0),
    resentOnClosedConnection: attempts.filter((a) => a.staleConnection).length,
  };
}

export interface RequestRules {
  fault: Fault;
  injectedAt: number;
  /** The gateway's timeout plus scheduling slack: no answer may take longer. */
  answerBoundMs: number;
}

/** Failures the fault may cause: a clear 503/504/429, or, when the clients' gateway worker itself is killed, a reset. */
function allowedDuringFault(attempt: Attempt, fault: Fault): boolean {
  if (fault.graceful) {
    return false;
  }
  if (attempt.failure === 'connection') {
    return fault.connectionFailuresExpected;
  }
  return attempt.status === 503 || attempt.status === 504 || attempt.status === 429;
}

/**
 * Errors during a fault are only 503/504/429, each answered within the gateway timeout, never a
 * 500 or a hang; graceful faults (SIGTERM, rolling restart) cause none at all; and before the fault
 * nothing fails.
 */
export function checkRequests(attempts: Attempt[], rules: RequestRules): InvariantResult {
  const violations: string[] = [];
  for (const attempt of attempts) {
    const at = `${attempt.op} at ${((attempt.start - rules.injectedAt) / 1000).toFixed(1)} s`;
    const latency = attempt.end - attempt.start;
    if (attempt.failure === 'timeout') {
      violations.push(`${at}: no answer (hang)`);
      continue;
    }
    if (latency > rules.answerBoundMs) {
      violations.push(`${at}: ${outcomeLabel(attempt)} after ${latency} ms (bound ${rules.answerBoundMs} ms)`);
    }
    if (succeeded(attempt) || isBusinessAnswer(attempt) || attempt.staleConnection) {
      continue;
    }
    // In flight when the fault hit counts as during it: its answer is the fault's doing.
    const duringFault = attempt.end >= rules.injectedAt;
    if (!duringFault || !allowedDuringFault(attempt, rules.fault)) {
      const detail = attempt.code ?? attempt.failureCode ?? '';
      violations.push(
        `${at}: ${outcomeLabel(attempt)}${detail ? ` ${detail}` : ''}${duringFault ? '' : ' (before the fault)'}`,
      );
    }
  }
  const name = rules.fault.graceful
    ? 'zero failed requests (graceful)'
    : 'only 503/504/429 during the fault, within the gateway timeout';
  const shown = violations.length > 5 ? [...violations.slice(0, 5), `… ${violations.length - 5} more`] : violations;
  return { name, ok: violations.length === 0, violations: shown, checked: attempts.length };
}

export interface RecoveryFigures {
  /** End of the fault → end of the first successful request started after it. */
  firstSuccessMs: number | null;
  /** End of the fault → end of the last failed request: after it, the error rate is back to zero. */
  normalMs: number;
}

export function recoveryFigures(attempts: Attempt[], injectedAt: number, endedAt: number): RecoveryFigures {
  const after = attempts.filter((a) => a.start >= endedAt && succeeded(a));
  const firstSuccess = after.reduce<number | null>((min, a) => (min === null ? a.end : Math.min(min, a.end)), null);
  const failures = attempts.filter(
    (a) => a.end >= injectedAt && !succeeded(a) && !isBusinessAnswer(a) && !a.staleConnection,
  );
  const lastFailure = failures.reduce((max, a) => Math.max(max, a.end), endedAt);
  return {
    firstSuccessMs: firstSuccess === null ? null : Math.max(0, firstSuccess - endedAt),
    normalMs: Math.max(0, lastFailure - endedAt),
  };
}
