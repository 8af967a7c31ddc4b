import { randomUUID } from 'node:crypto';
import { OutboxRelay } from '@app/common/outbox';
import { bearer, TestTokenIssuer } from '@test/support/auth-tokens';
import { CatalogStack, startCatalogStack, uniqueSku } from '@test/support/catalog-stack';
import { expectEventually } from '@test/support/expect-eventually';
import { InProcessGateway, startGatewayInProcess } from '@test/support/in-process';
import { queryDatabase } from '@test/support/test-database';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON under test */

const BOUND_MS = 1000;

interface Answer {
  status: number;
  body: any;
  requestId: string | null;
}

async function get(gateway: InProcessGateway, path: string): Promise<Answer> {
  const response = await fetch(`${gateway.url}${path}`);
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    requestId: response.headers.get('x-request-id'),
  };
}

async function cacheLookups(gateway: InProcessGateway, outcome: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('bazaar_read_cache_lookups_total{') && line.includes(`outcome="${outcome}"`))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

/**
 * The staleness bound is a guarantee, not a race: every read that starts once `BOUND_MS` has passed
 * since the change committed must show it, however slow the machine. Reads before that may be stale.
 */
async function expectEveryReplicaWithinBound(
  gateways: InProcessGateway[],
  changedBefore: number,
  path: string,
  check: (answer: Answer) => void,
): Promise<void> {
  while (Date.now() <= changedBefore + BOUND_MS) {
    await Promise.all(gateways.map((gateway) => get(gateway, path))); // keep reading through the window
  }
  for (const gateway of gateways) {
    check(await get(gateway, path));
  }
}

describe('read cache in the gateway (two replicas)', () => {
  let catalog: CatalogStack;
  let tokens: TestTokenIssuer;
  let gateways: InProcessGateway[];
  let admin: Record<string, string>;
  const extraGateways: InProcessGateway[] = [];

  const startGateway = async (env: Record<string, string> = {}): Promise<InProcessGateway> => {
    const gateway = await startGatewayInProcess({
      ...catalog.nats.env('gateway'),
      RATE_LIMIT_RPM: '0',
      READ_CACHE_MAX_STALENESS_MS: String(BOUND_MS),
      ...tokens.gatewayEnv(),
      ...env,
    });
    await expectEventually(async () => expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200));
    return gateway;
  };
  const patch = async (id: string, body: Record<string, unknown>): Promise<void> => {
    const response = await fetch(`${gateways[0].url}/v1/products/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };
  /** A write the catalog makes without an event: what a lost event looks like to a cache. */
  const changeBehindTheCachesBack = (id: string, name: string) =>
    queryDatabase(catalog.database.url, 'UPDATE products SET name = $2 WHERE id = $1', [id, name]);
  /** Reads until a cached answer is served (the feed vouched for itself), then returns it. */
  const warm = async (gateway: InProcessGateway, path: string): Promise<Answer> => {
    await get(gateway, path);
    const hitsBefore = await cacheLookups(gateway, 'hit');
    return expectEventually(async () => {
      const answer = await get(gateway, path);
      expect(await cacheLookups(gateway, 'hit')).toBeGreaterThan(hitsBefore);
      return answer;
    });
  };

  beforeAll(async () => {
    catalog = await startCatalogStack('readcache');
    tokens = await TestTokenIssuer.create();
    gateways = [await startGateway(), await startGateway()];
    admin = bearer(await tokens.adminToken());
  });

  afterAll(async () => {
    for (const gateway of [...(gateways ?? []), ...extraGateways]) {
      await gateway.close();
    }
    await catalog?.dispose();
  });

  it('serves repeated reads from memory, with the same body and a request id per request', async () => {
    const product = await catalog.createProduct({ name: 'Cached mug' });
    const path = `/v1/products/${product.id}`;

    const first = await warm(gateways[0], path);
    const second = await get(gateways[0], path);

    expect(first).toMatchObject({ status: 200, body: product });
    expect(second).toMatchObject({ status: 200, body: product });
    expect(second.requestId).not.toBe(first.requestId);
  });

  it('shows a PATCH on every replica within the bound, by id and in listings', async () => {
    const category = `rc-${randomUUID()}`;
    const product = await catalog.createProduct({ name: 'Before', category });
    const byId = `/v1/products/${product.id}`;
    const listing = `/v1/products?category=${category}`;
    for (const gateway of gateways) {
      await warm(gateway, byId);
      await warm(gateway, listing);
    }

    await patch(product.id, { name: 'After', priceCents: 4321 });
    const committed = Date.now();

    await expectEveryReplicaWithinBound(gateways, committed, byId, (answer) =>
      expect(answer.body).toMatchObject({ name: 'After', priceCents: 4321 }),
    );
    await expectEveryReplicaWithinBound(gateways, committed, listing, (answer) =>
      expect(answer.body.items).toEqual([expect.objectContaining({ id: product.id, name: 'After' })]),
    );
  });

  it('answers the replica that took a write with the new state at once', async () => {
    const category = `rc-${randomUUID()}`;
    const product = await catalog.createProduct({ name: 'Before', category });
    const byId = `/v1/products/${product.id}`;
    await warm(gateways[0], byId);
    await warm(gateways[0], `/v1/products?category=${category}`);

    await patch(product.id, { name: 'Read your write' });

    expect((await get(gateways[0], byId)).body.name).toBe('Read your write');
    expect((await get(gateways[0], `/v1/products?category=${category}`)).body.items[0].name).toBe('Read your write');
  });

  it('answers 404 on every replica within the bound after an archive, and drops it from listings', async () => {
    const category = `rc-${randomUUID()}`;
    const product = await catalog.createProduct({ category });
    const byId = `/v1/products/${product.id}`;
    const listing = `/v1/products?category=${category}`;
    for (const gateway of gateways) {
      await warm(gateway, byId);
      await warm(gateway, listing);
    }

    const response = await fetch(`${gateways[1].url}${byId}`, { method: 'DELETE', headers: admin });
    expect(response.status).toBe(204);
    const committed = Date.now();

    await expectEveryReplicaWithinBound(gateways, committed, byId, (answer) =>
      expect(answer).toMatchObject({ status: 404, body: { code: 'not-found' } }),
    );
    await expectEveryReplicaWithinBound(gateways, committed, listing, (answer) =>
      expect(answer.body.items).toEqual([]),
    );
  });

  /** The same UUID as the catalog spells it, in upper case and in a mix (catalog answers all three alike). */
  const spellings = (id: string) => ({
    upper: id.toUpperCase(),
    mixed: [...id].map((char, i) => (i % 2 === 0 ? char.toUpperCase() : char)).join(''),
  });

  it('answers 404 for an archived product read with an upper- or mixed-case id, never the cached product', async () => {
    const product = await catalog.createProduct({ name: 'Archived soon' });
    const paths = Object.values(spellings(product.id)).map((id) => `/v1/products/${id}`);
    for (const gateway of gateways) {
      for (const path of paths) {
        expect((await warm(gateway, path)).body).toMatchObject({ id: product.id, name: 'Archived soon' });
      }
    }

    const response = await fetch(`${gateways[1].url}/v1/products/${product.id}`, { method: 'DELETE', headers: admin });
    expect(response.status).toBe(204);
    const committed = Date.now();

    for (const path of paths) {
      await expectEveryReplicaWithinBound(gateways, committed, path, (answer) =>
        expect(answer).toMatchObject({ status: 404, body: { code: 'not-found' } }),
      );
    }
  });

  it('drops an entry cached under an upper-case id on the event for the product, which names it in lower case', async () => {
    const product = await catalog.createProduct({ name: 'Before' });
    const upper = `/v1/products/${spellings(product.id).upper}`;
    expect((await warm(gateways[1], upper)).body.name).toBe('Before');

    await patch(product.id, { name: 'After' }); // through gateways[0]: gateways[1] learns of it only from the event
    const committed = Date.now();

    await expectEveryReplicaWithinBound([gateways[1]], committed, upper, (answer) =>
      expect(answer.body).toMatchObject({ id: product.id, name: 'After' }),
    );
  });

  it('shows a stock change by an order reservation and by a PATCH on every replica within the bound', async () => {
    const category = `rc-${randomUUID()}`;
    const product = await catalog.createProduct({ stock: 10, category });
    const byId = `/v1/products/${product.id}`;
    const listing = `/v1/products?category=${category}`;
    for (const gateway of gateways) {
      await warm(gateway, byId);
      await warm(gateway, listing);
    }

    await catalog.client.reserveStock({ orderId: randomUUID(), lines: [{ productId: product.id, quantity: 3 }] });
    let committed = Date.now();
    await expectEveryReplicaWithinBound(gateways, committed, byId, (answer) => expect(answer.body.stock).toBe(7));
    await expectEveryReplicaWithinBound(gateways, committed, listing, (answer) =>
      expect(answer.body.items[0].stock).toBe(7),
    );

    await patch(product.id, { stock: 50 });
    committed = Date.now();
    await expectEveryReplicaWithinBound(gateways, committed, byId, (answer) => expect(answer.body.stock).toBe(50));
  });

  it('shows a product created after an empty listing was cached', async () => {
    const category = `rc-${randomUUID()}`;
    const listing = `/v1/products?category=${category}`;
    for (const gateway of gateways) {
      expect((await warm(gateway, listing)).body.items).toEqual([]);
    }

    const product = await catalog.createProduct({ sku: uniqueSku('RC'), category });
    const committed = Date.now();

    await expectEveryReplicaWithinBound(gateways, committed, listing, (answer) =>
      expect(answer.body.items).toEqual([expect.objectContaining({ id: product.id })]),
    );
  });

  it('never caches a 404: a product is readable as soon as it exists', async () => {
    const missing = `/v1/products/${randomUUID()}`;

    expect((await get(gateways[0], missing)).status).toBe(404);
    expect((await get(gateways[0], missing)).status).toBe(404);
    const product = await catalog.createProduct();

    expect((await get(gateways[0], `/v1/products/${product.id}`)).status).toBe(200);
  });

  /**
   * Products whose `product-created` event is already on NATS (the outbox is empty), read by a
   * gateway started afterwards: no event can reach it for them, so only what the test does counts.
   */
  const productsBeforeGateway = async (count: number, env: Record<string, string>) => {
    const products = [];
    for (let i = 0; i < count; i++) {
      products.push(await catalog.createProduct({ name: 'Original' }));
    }
    await expectEventually(async () => {
      const [row] = await queryDatabase<{ pending: number }>(
        catalog.database.url,
        'SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL',
      );
      expect(row.pending).toBe(0);
    });
    const gateway = await startGateway(env);
    extraGateways.push(gateway);
    return { gateway, paths: products.map((product) => ({ id: product.id, path: `/v1/products/${product.id}` })) };
  };

  /** Warms, changes behind the cache's back and shows the stale answer; retries on a fresh product if the machine was too slow to see it before the TTL. */
  const showStaleAnswer = async (gateway: InProcessGateway, candidates: Array<{ id: string; path: string }>) => {
    for (const candidate of candidates) {
      await warm(gateway, candidate.path);
      await changeBehindTheCachesBack(candidate.id, 'Changed without an event');
      if ((await get(gateway, candidate.path)).body.name === 'Original') {
        return candidate;
      }
    }
    throw new Error('no read was answered from the cache before its entry expired');
  };

  it('stops serving a cached product within the bound when the catalog relays stall while a write commits', async () => {
    // A TTL far above the test: only the freshness gate can make this replica stop serving what it holds.
    const gateway = await startGateway({ READ_CACHE_TTL_MS: '3600000' });
    extraGateways.push(gateway);
    const product = await catalog.createProduct({ name: 'Before the stall' });
    const path = `/v1/products/${product.id}`;
    expect((await warm(gateway, path)).body.name).toBe('Before the stall');
    // A stalled relay: its rounds still come, but publish nothing, neither events nor heartbeats.
    const stalls = catalog.replicas.map((replica) =>
      jest
        .spyOn(replica.app.get<OutboxRelay, { round(): Promise<void> }>(OutboxRelay), 'round')
        .mockResolvedValue(undefined),
    );
    try {
      // Once each relay ran a stalled round, no real one is in flight that could still publish the write.
      await expectEventually(() => stalls.forEach((stall) => expect(stall).toHaveBeenCalled()));
      await catalog.client.updateProduct({ id: product.id, name: 'Written during the stall' });
      const changedBefore = Date.now();

      await expectEveryReplicaWithinBound([gateway], changedBefore, path, (answer) =>
        expect(answer.body.name).toBe('Written during the stall'),
      );
      const [row] = await queryDatabase<{ pending: number }>(
        catalog.database.url,
        'SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL',
      );
      expect(row.pending).toBeGreaterThan(0); // the write's event really was held back
    } finally {
      stalls.forEach((stall) => stall.mockRestore());
    }
  });

  it('heals a change whose event was lost by the TTL backstop', async () => {
    // A bound far above the TTL: only the TTL can make this replica drop what it holds.
    const { gateway, paths } = await productsBeforeGateway(5, {
      READ_CACHE_MAX_STALENESS_MS: '60000',
      READ_CACHE_TTL_MS: '2000',
    });

    const stale = await showStaleAnswer(gateway, paths);

    await expectEventually(async () =>
      expect((await get(gateway, stale.path)).body.name).toBe('Changed without an event'),
    );
  });

  it('flushes everything when its NATS connection drops, and caches again once it is back', async () => {
    // Neither the bound nor the TTL can heal anything here: only the flush on reconnection can.
    const { gateway, paths } = await productsBeforeGateway(1, {
      READ_CACHE_MAX_STALENESS_MS: '60000',
      READ_CACHE_TTL_MS: '3600000',
    });
    const stale = await showStaleAnswer(gateway, paths);

    await catalog.nats.stop();
    await catalog.nats.start();

    await expectEventually(
      async () => expect((await get(gateway, stale.path)).body.name).toBe('Changed without an event'),
      30_000,
    );
    await warm(gateway, stale.path);
    const logged = gateway.logs.text();
    expect(logged).toMatch(/Catalog event feed disconnected [^"]*: read cache flushed and bypassed/);
    expect(logged).toMatch(/Catalog event feed back/);
  });

  it('reads straight from catalog when the cache is off', async () => {
    const gateway = await startGateway({ READ_CACHE_ENABLED: 'false' });
    extraGateways.push(gateway);
    const product = await catalog.createProduct({ name: 'Uncached' });
    const path = `/v1/products/${product.id}`;
    expect((await get(gateway, path)).body.name).toBe('Uncached');

    await changeBehindTheCachesBack(product.id, 'Seen at once');

    expect((await get(gateway, path)).body.name).toBe('Seen at once');
  });
});
