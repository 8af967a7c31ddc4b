import { ScenarioOutcome } from './report-model';

/**
 * With --repeat N every reference and scenario is measured N times, in rounds (all of them once,
 * then again), so a neighbour's burst on this shared machine hits one round, not one line. The
 * run reported is the one with the median throughput, whole (its latencies belong with its
 * throughput); every round's req/s is kept beside it.
 */
export function medianBy<T>(runs: T[], value: (run: T) => number): T | undefined {
  if (runs.length === 0) {
    return undefined;
  }
  const sorted = [...runs].sort((a, b) => value(a) - value(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export function combineRounds(rounds: ScenarioOutcome[][]): ScenarioOutcome[] {
  if (rounds.length === 1) {
    return rounds[0];
  }
  const names = [...new Set(rounds.flat().map((outcome) => outcome.name))];
  return names.map((name) => {
    const all = rounds.flat().filter((outcome) => outcome.name === name);
    const measured = all.filter((outcome) => outcome.status === 'measured' && outcome.figures);
    // A round that failed or found the route missing wins over the others: it must be seen.
    const unusual = all.find((outcome) => outcome.status !== 'measured');
    if (unusual || measured.length === 0) {
      return unusual ?? all[0];
    }
    const median = medianBy(measured, (outcome) => outcome.figures!.rps)!;
    return { ...median, roundsRps: measured.map((outcome) => outcome.figures!.rps) };
  });
}
