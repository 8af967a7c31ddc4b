import { loadavg } from 'node:os';
import { ScenarioOutcome } from './report-model';
import { LoadSettings } from './load-settings';
import { runLoad } from './run-load';
import { SCENARIOS } from './scenarios';
import { ScenarioContext } from './scenarios/scenario';
import { ScenarioName } from './scenarios/scenario-names';
import { renewTokens } from './seed-users';

/** Access tokens live ≤ 15 min (docs/api.md#authentication): renew them before a scenario when older than this. */
const TOKEN_RENEW_AFTER_MS = 10 * 60_000;

export interface ScenarioHooks {
  /** After each measured scenario: a crashed replica ends the run. */
  afterEach(outcome: ScenarioOutcome): void;
  shouldStop(): boolean;
}

/**
 * Runs the chosen scenarios one after another. Each first sends one real request (the probe): a
 * route that isn't built yet makes a "not available" row instead of a failed run.
 */
export async function runScenarios(
  names: ScenarioName[],
  context: ScenarioContext,
  load: LoadSettings,
  hooks: ScenarioHooks,
  /** The report line's name (e.g. `product-get (read cache)`); the scenario's own by default. */
  lineName: (name: ScenarioName) => string = (name) => name,
): Promise<ScenarioOutcome[]> {
  const outcomes: ScenarioOutcome[] = [];
  let tokensAt = Date.now();
  for (const name of names) {
    if (hooks.shouldStop()) {
      break;
    }
    const scenario = SCENARIOS[name];
    const base = { name: lineName(name), description: scenario.description, loadAverage: loadavg()[0] };
    if (scenario.needsUsers && !context.users) {
      outcomes.push({ ...base, status: 'not-available', reason: context.usersMissing });
      continue;
    }
    if (scenario.needsUsers && Date.now() - tokensAt > TOKEN_RENEW_AFTER_MS) {
      await renewTokens(context.gatewayUrl, context.users!);
      tokensAt = Date.now();
    }
    process.stderr.write(`bench: ${name}…\n`);
    const probe = await scenario.probe(context);
    if (probe.kind !== 'ok') {
      outcomes.push({
        ...base,
        status: probe.kind === 'unavailable' ? 'not-available' : 'failed',
        reason: probe.reason,
      });
      continue;
    }
    const measured = scenario.measure
      ? await scenario.measure(context, load)
      : {
          figures: await runLoad({
            url: context.gatewayUrl,
            ...load,
            requests: scenario.requests(context),
            beforeMeasure: scenario.beforeMeasure,
          }),
          extra: undefined,
        };
    const figures = measured.figures;
    const outcome: ScenarioOutcome = {
      ...base,
      status: 'measured',
      figures,
      ...(measured.ratio ? { ratio: measured.ratio } : {}),
      extra: measured.extra ?? scenario.extra?.(),
    };
    if (scenario.placesOrders) {
      outcome.confirmedPerSecond = (figures.statusCounts['201'] ?? 0) / figures.seconds;
    }
    outcomes.push(outcome);
    hooks.afterEach(outcome);
  }
  return outcomes;
}
