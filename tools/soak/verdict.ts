/**
 * How a soak is judged. Pure, so the rules are unit-tested apart from a 30-minute run.
 *
 * Something bounded by retention grows until its retention starts to bite, then holds level. The
 * run is cut in thirds: the first is the climb (retention is a few minutes in a soak), and the
 * last third's median must not exceed the middle third's by more than 10 % (plus a small absolute
 * slack, so a table of 40 rows isn't failed for holding 50). RSS is judged as the performance
 * issue states it: the median of the last minute against minute 2's, at most +10 %.
 */
export const FLAT_GROWTH = 0.1;
export const RSS_GROWTH = 0.1;
/** The fewest minutes whose thirds say anything. */
export const MIN_MINUTES_FOR_VERDICT = 6;

export function median(values: readonly number[]): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface FlatVerdict {
  flat: boolean;
  middleMedian: number;
  lastMedian: number;
  /** last ÷ middle − 1. */
  growth: number;
}

/** `perMinute[i]` is the reading at the end of minute i + 1. */
export function judgeFlat(perMinute: readonly number[], slack: number): FlatVerdict | undefined {
  if (perMinute.length < MIN_MINUTES_FOR_VERDICT) {
    return undefined;
  }
  const third = Math.floor(perMinute.length / 3);
  const middleMedian = median(perMinute.slice(third, 2 * third));
  const lastMedian = median(perMinute.slice(perMinute.length - third));
  return {
    flat: lastMedian <= middleMedian * (1 + FLAT_GROWTH) + slack,
    middleMedian,
    lastMedian,
    growth: middleMedian === 0 ? (lastMedian === 0 ? 0 : Infinity) : lastMedian / middleMedian - 1,
  };
}

export interface RssVerdict {
  ok: boolean;
  minute2Mib: number;
  lastMinuteMib: number;
  growth: number;
}

/** `samplesByMinute[i]`: the RSS samples (MiB) taken during minute i + 1. */
export function judgeRss(samplesByMinute: readonly (readonly number[])[]): RssVerdict | undefined {
  const withSamples = samplesByMinute.filter((samples) => samples.length > 0);
  if (samplesByMinute.length < 3 || withSamples.length < 3) {
    return undefined;
  }
  const minute2Mib = median(samplesByMinute[1]);
  const lastMinuteMib = median(samplesByMinute[samplesByMinute.length - 1]);
  const growth = lastMinuteMib / minute2Mib - 1;
  return { ok: growth <= RSS_GROWTH, minute2Mib, lastMinuteMib, growth };
}
