import fc from 'fast-check';
import { CatalogClient } from '@app/common/clients';
import { BazaarMetrics } from '@app/common/ops';
import { CATALOG_EVENTS, ProductResponse } from '@app/contracts';
import { assertProperty } from '@test/support/property-runs';
import { GatewayEnv } from '../../config/gateway.env';
import { CatalogFeedListener } from './catalog-change-feed';
import { CatalogReads } from './catalog-reads.service';

/** The feed as the simulation drives it: whatever CatalogReads subscribes, and whether it is up. */
const mockFeed: { listener?: CatalogFeedListener; up: boolean } = { up: true };

jest.mock('./catalog-change-feed', () => ({
  CatalogChangeFeed: class {
    constructor(_bus: unknown, listener: CatalogFeedListener) {
      mockFeed.listener = listener;
    }
    get up(): boolean {
      return mockFeed.up;
    }
  },
}));

const metrics = new BazaarMetrics('read-cache-property');
const BOUND_MS = 1000;
const TTL_MS = 5000;
const HEARTBEAT_EVERY_MS = 250;
const PRODUCTS = ['0f8fad5b-d9cb-469f-a165-70867728950e', '7c9e6679-7425-40de-944b-e07fc1f90ae7'];

/** What happens to a message on its way to the gateway. */
type Fate = 'delivered' | 'lost-with-gap' | 'lost-silently';

interface Change {
  at: number;
  product: number;
  /** Outbox relay lag: commit → publish. */
  publishAfterMs: number;
  /** Network lag: publish → gateway (messages stay in order). */
  travelMs: number;
  fate: Fate;
}
interface Read {
  at: number;
  product: number;
  /** When catalog's answer is taken, after the call, and when it arrives. */
  snapshotAfterMs: number;
  answerAfterMs: number;
}

const changes = fc.array(
  fc.record({
    at: fc.integer({ min: 0, max: 6000 }),
    product: fc.nat(PRODUCTS.length - 1),
    publishAfterMs: fc.integer({ min: 0, max: 2500 }),
    travelMs: fc.integer({ min: 0, max: 400 }),
    fate: fc.constantFrom<Fate>('delivered', 'delivered', 'delivered', 'delivered', 'lost-with-gap', 'lost-silently'),
  }),
  { minLength: 1, maxLength: 15 },
);
const reads = fc.array(
  fc.record({
    at: fc.integer({ min: 0, max: 9000 }),
    product: fc.nat(PRODUCTS.length - 1),
    snapshotAfterMs: fc.integer({ min: 0, max: 300 }),
    answerAfterMs: fc.integer({ min: 0, max: 300 }),
  }),
  { minLength: 1, maxLength: 60 },
);

/** A tiny discrete-event simulation: actions run in time order on one simulated clock. */
class Simulation {
  now = 0;
  private readonly queue: Array<{ at: number; seq: number; run: () => void }> = [];
  private seq = 0;

  at(time: number, run: () => void): void {
    this.queue.push({ at: time, seq: this.seq++, run });
    this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  async runAll(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      this.now = next.at;
      next.run();
      // Let the cache's promise callbacks (fills settling) run before the clock moves on.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function product(id: string, version: number): ProductResponse {
  const at = new Date(0).toISOString();
  return {
    id,
    sku: 'SIM',
    name: 'Simulated',
    description: '',
    priceCents: 100,
    currency: 'EUR',
    stock: version,
    category: null,
    createdAt: at,
    updatedAt: at,
  };
}

interface Violation {
  product: number;
  askedAt: number;
  served: number;
  required: number;
}

/**
 * Runs one schedule against CatalogReads (its ReadCache and FeedFreshness, on the simulated clock)
 * and answers every read that showed less than the bound promises: a read asked at `t` must show
 * every change committed before `t - READ_CACHE_MAX_STALENESS_MS`, except a change whose event was
 * lost without the feed noticing, which the TTL backstop covers: before `t - READ_CACHE_TTL_MS`.
 */
async function simulate(schedule: {
  changes: Change[];
  reads: Read[];
}): Promise<{ violations: Violation[]; loads: number }> {
  const sim = new Simulation();
  jest.spyOn(Date, 'now').mockImplementation(() => sim.now);
  mockFeed.up = true;
  const versions = PRODUCTS.map(() => 0);
  const commits = schedule.changes
    .slice()
    .sort((a, b) => a.at - b.at)
    .map((change) => ({ ...change, version: 0, sent: false }));
  let loads = 0;
  const catalog = {
    getProduct: (id: string) =>
      new Promise<ProductResponse>((resolve) => {
        loads++;
        const read = pendingReads.get(id)!.shift()!;
        sim.at(sim.now + read.snapshotAfterMs, () => {
          const snapshot = product(id, versions[PRODUCTS.indexOf(id)]);
          sim.at(sim.now + read.answerAfterMs, () => resolve(snapshot));
        });
      }),
  } as unknown as CatalogClient;
  const pendingReads = new Map<string, Read[]>(PRODUCTS.map((id) => [id, []]));
  const config = {
    READ_CACHE_ENABLED: true,
    READ_CACHE_MAX_STALENESS_MS: BOUND_MS,
    READ_CACHE_TTL_MS: TTL_MS,
    READ_CACHE_MAX_ENTRIES: 100,
    READ_CACHE_MAX_BYTES: 1_000_000,
  } as GatewayEnv;
  const sut = new CatalogReads(catalog, config, metrics, {} as never);
  const listener = mockFeed.listener!;

  // The one connection to the gateway: in order, each message no earlier than the one before.
  let lastArrival = 0;
  const send = (travelMs: number, fate: Fate, deliver: () => void): void => {
    lastArrival = Math.max(lastArrival, sim.now + travelMs);
    sim.at(lastArrival, () => {
      if (fate === 'lost-with-gap' && mockFeed.up) {
        mockFeed.up = false;
        listener.gap('feed-lost');
        sim.at(sim.now + 200, () => {
          listener.gap('back');
          mockFeed.up = true;
        });
      } else if (fate === 'delivered' && mockFeed.up) {
        deliver();
      }
    });
  };

  for (const commit of commits) {
    sim.at(commit.at, () => {
      commit.version = ++versions[commit.product];
      sim.at(sim.now + commit.publishAfterMs, () => {
        commit.sent = true;
        const productId = PRODUCTS[commit.product];
        const subject = commit.version % 2 ? CATALOG_EVENTS.STOCK_CHANGED : CATALOG_EVENTS.PRODUCT_UPDATED;
        const data = subject === CATALOG_EVENTS.STOCK_CHANGED ? { productId } : { id: productId };
        send(commit.travelMs, commit.fate, () => listener.event(subject, { data } as never));
      });
    });
  }
  // The relay vouches, every beat, for everything committed before its oldest unsent change.
  for (let beat = 0; beat <= 12_000; beat += HEARTBEAT_EVERY_MS) {
    sim.at(beat, () => {
      const unsent = commits.filter((commit) => commit.at <= sim.now && !commit.sent).map((commit) => commit.at);
      const caughtUpAt = unsent.length > 0 ? Math.min(...unsent) : sim.now;
      send(50, 'delivered', () => listener.heartbeat({ relay: 'relay-1', caughtUpAt }));
    });
  }

  const found: Violation[] = [];
  for (const read of schedule.reads) {
    sim.at(read.at, () => {
      const askedAt = sim.now;
      const required = commits
        .filter((commit) => commit.product === read.product && commit.version > 0)
        .filter((commit) => commit.at < askedAt - (commit.fate === 'lost-silently' ? TTL_MS : BOUND_MS))
        .reduce((newest, commit) => Math.max(newest, commit.version), 0);
      pendingReads.get(PRODUCTS[read.product])!.push(read);
      void sut.getProduct(PRODUCTS[read.product]).then((json) => {
        const answer = JSON.parse(json) as ProductResponse;
        if (answer.stock < required) {
          found.push({ product: read.product, askedAt, served: answer.stock, required });
        }
      });
    });
  }
  await sim.runAll();
  jest.restoreAllMocks();
  return { violations: found, loads };
}

describe(`${CatalogReads.name} (property: the staleness bound)`, () => {
  it('never serves a product older than the bound, whatever events are delayed or lost', async () => {
    const totals = { reads: 0, loads: 0 };
    await assertProperty(
      fc.asyncProperty(changes, reads, async (someChanges, someReads) => {
        const outcome = await simulate({ changes: someChanges, reads: someReads });
        totals.reads += someReads.length;
        totals.loads += outcome.loads;
        expect(outcome.violations).toEqual([]);
      }),
      100,
    );
    // Not vacuous: a good share of the reads were answered from the cache.
    expect(totals.loads).toBeLessThan(totals.reads * 0.8);
  });
});
