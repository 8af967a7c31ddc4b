import { OutboxHeartbeat } from '@app/common/outbox';

/**
 * A relay that published a round may still hold rows another relay skipped; it stays in the
 * minimum until it has been silent this long (its publishes time out after 5 s, then it retries).
 */
export const SILENT_RELAY_FORGET_MS = 10_000;

interface RelayMark {
  caughtUpAt: number;
  heardAt: number;
}

/**
 * How far the catalog event feed is known to be complete: every event of a change committed
 * before `caughtUpAt()` has been received (events and heartbeats come in order over one
 * subscription connection). With several catalog replicas it is the oldest mark of the relays
 * heard from recently, since a relay's rows can be skipped by the others while it publishes them.
 */
export class FeedFreshness {
  private readonly relays = new Map<string, RelayMark>();

  constructor(private readonly clock: () => number = Date.now) {}

  heard(heartbeat: OutboxHeartbeat): void {
    if (heartbeat.closing) {
      this.relays.delete(heartbeat.relay);
      return;
    }
    const previous = this.relays.get(heartbeat.relay);
    const caughtUpAt = Math.max(previous?.caughtUpAt ?? 0, heartbeat.caughtUpAt);
    this.relays.set(heartbeat.relay, { caughtUpAt, heardAt: this.clock() });
  }

  /** After a gap in the subscription nothing received earlier vouches for what was missed. */
  reset(): void {
    this.relays.clear();
  }

  /** Wall-clock ms up to which the feed is complete, or undefined when nothing vouches for it. */
  caughtUpAt(): number | undefined {
    const now = this.clock();
    let oldest: number | undefined;
    for (const [relay, mark] of this.relays) {
      if (now - mark.heardAt > SILENT_RELAY_FORGET_MS) {
        this.relays.delete(relay);
        continue;
      }
      oldest = oldest === undefined ? mark.caughtUpAt : Math.min(oldest, mark.caughtUpAt);
    }
    return oldest;
  }

  /** True when no change older than `maxStalenessMs` can still be unannounced. */
  isFresh(maxStalenessMs: number): boolean {
    // Without a mark the feed is infinitely stale.
    // Stryker disable next-line LogicalOperator: `&&` gives now - undefined = NaN, and NaN <= bound is false as well
    return this.clock() - (this.caughtUpAt() ?? Number.NEGATIVE_INFINITY) <= maxStalenessMs;
  }
}
