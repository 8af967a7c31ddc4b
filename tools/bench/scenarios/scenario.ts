import { AutocannonRequest } from 'autocannon';
import type { LoadSettings } from '../load-settings';
import type { LoadFigures } from '../run-load';
import { JsonAnswer, describeAnswer } from '../http-json';
import { OrderLedger } from '../order-ledger';
import { CatalogFixture } from '../seed-catalog';
import { BenchUser } from '../seed-users';
import { ScenarioName } from './scenario-names';

export interface ScenarioContext {
  gatewayUrl: string;
  catalog: CatalogFixture;
  /** Undefined when users couldn't be registered; `usersMissing` says why. */
  users?: BenchUser[];
  usersMissing?: string;
  ledger: OrderLedger;
}

/** What one real request before the load says about a scenario. */
export type ProbeResult = { kind: 'ok' } | { kind: 'unavailable'; reason: string } | { kind: 'failed'; reason: string };

export interface Scenario {
  name: ScenarioName;
  /** The request, as printed under the table. */
  description: string;
  needsUsers: boolean;
  /** Its orders take stock: the stock ledger is checked after it. */
  placesOrders: boolean;
  probe(context: ScenarioContext): Promise<ProbeResult>;
  requests(context: ScenarioContext): AutocannonRequest[];
  /** Called between the warm-up and the measured run, to zero what `extra` reports. */
  beforeMeasure?(): void;
  /** Extra figures a scenario keeps (the mixed one's per-kind status counts). */
  extra?(): Record<string, unknown>;
  /**
   * A line that is more than one load (login-interference: reads alone, then reads beside logins):
   * runs it all and answers the figures to report. Without it, `requests` run as one load.
   */
  measure?(context: ScenarioContext, load: LoadSettings): Promise<CustomMeasurement>;
}

export interface CustomMeasurement {
  figures: LoadFigures;
  ratio?: { to: string; value: number };
  extra?: Record<string, unknown>;
}

/**
 * A route that isn't there yet (other engineers are still writing it) answers 404/405 from the
 * gateway's router, or 501, or 503 when the gateway has the route but no service answers its
 * subject: the scenario is skipped as "not available", not failed. Anything else unexpected is a
 * failure (a contract drift or a bug) and fails a --quick run.
 */
export function classify(answer: JsonAnswer, expected: number, what: string): ProbeResult {
  if (answer.status === expected) {
    return { kind: 'ok' };
  }
  if ([404, 405, 501, 503].includes(answer.status)) {
    return { kind: 'unavailable', reason: `${what} answers ${describeAnswer(answer)}` };
  }
  return { kind: 'failed', reason: `${what} answers ${describeAnswer(answer)}, expected ${expected}` };
}

export function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)];
}

export function usersOf(context: ScenarioContext): BenchUser[] {
  if (!context.users) {
    throw new Error('scenario needs users');
  }
  return context.users;
}
