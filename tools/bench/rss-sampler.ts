import { medianBy } from './median';
import { readProcessMemory } from './process-memory';
import { ProcessMemoryRow } from './report-model';

const EVERY_MS = 5_000;
/** The minute at each end of a run whose RSS medians are compared. */
const WINDOW_SAMPLES = 60_000 / EVERY_MS;

/**
 * RSS of every measured process every 5 s through a measured run. V8 grows and shrinks its heap
 * in a sawtooth under load (seen on orders in a 4-minute mixed run: 126-156 MiB RSS while
 * heap-used went 39 → 75 → 48 MiB and its low point stayed put), so one sample at each end judges
 * whichever tooth it hit; the medians of the first and last minute compare the levels, which a
 * leak raises and the sawtooth doesn't.
 */
export class RssSampler {
  private timer?: NodeJS.Timeout;
  private samples = new Map<ProcessMemoryRow, number[]>();

  /** Starts over (each measured run restarts it: the last run's samples are the ones kept). */
  restart(rows: ProcessMemoryRow[]): void {
    this.stop();
    this.samples = new Map(rows.filter((row) => row.bazaar).map((row) => [row, []]));
    const sample = (): void => {
      for (const [row, values] of this.samples) {
        const memory = readProcessMemory(row.pid);
        if (memory) {
          values.push(memory.rssMib);
        }
      }
    };
    sample();
    this.timer = setInterval(sample, EVERY_MS);
  }

  /** Stops and writes each row's first- and last-minute medians, for runs of at least two minutes. */
  stop(): void {
    if (!this.timer) {
      return;
    }
    clearInterval(this.timer);
    this.timer = undefined;
    for (const [row, values] of this.samples) {
      if (values.length >= 2 * WINDOW_SAMPLES) {
        row.firstMinuteMib = medianBy(values.slice(0, WINDOW_SAMPLES), (mib) => mib);
        row.lastMinuteMib = medianBy(values.slice(-WINDOW_SAMPLES), (mib) => mib);
      }
    }
  }
}
