import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { CATALOG_EVENTS, CATALOG_STREAM, EventEnvelope, StockChangedEvent } from '@app/contracts';
import { OutboxRelay } from '@app/common/outbox';
import { CatalogStack, startCatalogStack } from '@test/support/catalog-stack';
import { expectEventually } from '@test/support/expect-eventually';
import { queryDatabase } from '@test/support/test-database';

interface Published {
  msgId: string | undefined;
  envelope: EventEnvelope<{ id?: string; productId?: string } & Record<string, unknown>>;
}

describe('catalog events (outbox → JetStream stream CATALOG)', () => {
  let sut: CatalogStack;

  /** Every message of the CATALOG stream, read one by one by sequence number. */
  const readStream = async (): Promise<Published[]> => {
    const connection = await sut.nats.connect('events');
    try {
      const manager = await jetstreamManager(connection);
      const { state } = await manager.streams.info(CATALOG_STREAM.name);
      const published: Published[] = [];
      for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
        const message = await manager.streams.getMessage(CATALOG_STREAM.name, { seq });
        if (message) {
          published.push({ msgId: message.header?.get('Nats-Msg-Id'), envelope: message.json() });
        }
      }
      return published;
    } finally {
      await connection.close();
    }
  };

  const unpublished = async () =>
    Number(
      (
        await queryDatabase<{ n: string }>(
          sut.database.url,
          'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
        )
      )[0].n,
    );

  const eventsAbout = (published: Published[], productId: string) =>
    published.filter(({ envelope }) => (envelope.data.productId ?? envelope.data.id) === productId);

  beforeAll(async () => {
    sut = await startCatalogStack('events');
  });

  afterAll(async () => {
    await sut?.dispose();
  });

  it('publishes one event per committed change, with the event id as Nats-Msg-Id, and none for refusals or no-ops', async () => {
    const product = await sut.createProduct({ stock: 5 });
    await sut.client.updateProduct({ id: product.id, name: 'Renamed' });
    await sut.client.updateProduct({ id: product.id, name: 'Renamed' });
    await sut.client.updateProduct({ id: product.id, stock: 8 });
    const orderId = randomUUID();
    await sut.client.reserveStock({ orderId, lines: [{ productId: product.id, quantity: 3 }] });
    await sut.client.reserveStock({ orderId, lines: [{ productId: product.id, quantity: 3 }] });
    await expect(
      sut.client.reserveStock({ orderId: randomUUID(), lines: [{ productId: product.id, quantity: 50 }] }),
    ).rejects.toMatchObject({ code: 'insufficient-stock' });
    await sut.client.releaseStock(orderId);
    await sut.client.releaseStock(orderId);
    await sut.client.archiveProduct(product.id);

    await expectEventually(async () => expect(await unpublished()).toBe(0));
    const events = eventsAbout(await readStream(), product.id);

    expect(events.map(({ envelope }) => envelope.type)).toEqual([
      CATALOG_EVENTS.PRODUCT_CREATED,
      CATALOG_EVENTS.PRODUCT_UPDATED,
      CATALOG_EVENTS.STOCK_CHANGED,
      CATALOG_EVENTS.STOCK_CHANGED,
      CATALOG_EVENTS.STOCK_CHANGED,
      CATALOG_EVENTS.PRODUCT_ARCHIVED,
    ]);
    expect(events.every(({ msgId, envelope }) => msgId === envelope.id)).toBe(true);
    const stockChanges = events.slice(2, 5).map(({ envelope }) => envelope.data as unknown as StockChangedEvent);
    expect(stockChanges).toEqual([
      { productId: product.id, sku: product.sku, stock: 8, delta: 3, reason: 'adjusted', orderId: null },
      { productId: product.id, sku: product.sku, stock: 5, delta: -3, reason: 'reserved', orderId },
      { productId: product.id, sku: product.sku, stock: 8, delta: 3, reason: 'released', orderId },
    ]);
    expect(events[1].envelope.data).toMatchObject({ id: product.id, name: 'Renamed', stock: 5 });
    expect(events[5].envelope.data).toEqual({ id: product.id, sku: product.sku, archivedAt: expect.any(String) });
  });

  it('delivers each event exactly once when the relay is killed mid-backlog and restarted', async () => {
    const before = new Set((await readStream()).map(({ envelope }) => envelope.id));
    const category = `relay-${randomUUID()}`;
    const [first] = sut.replicas;

    const firstSixty = `SELECT seq FROM outbox WHERE payload->'data'->>'category' = $1 ORDER BY seq LIMIT 60`;

    // A backlog, then the relay dies while working through it, once it has published the first 60.
    await Promise.all(Array.from({ length: 150 }, () => sut.createProduct({ category })));
    await expectEventually(async () => {
      const [row] = await queryDatabase<{ n: number }>(
        sut.database.url,
        `SELECT count(*)::int AS n FROM outbox WHERE seq IN (${firstSixty}) AND published_at IS NOT NULL`,
        [category],
      );
      expect(row.n).toBe(60);
    }, 20_000);
    await first.app.get(OutboxRelay).stop();
    // A relay that died after publishing but before marking: its rows look unpublished again.
    const reset = await queryDatabase<{ id: string }>(
      sut.database.url,
      `UPDATE outbox SET published_at = NULL WHERE seq IN (${firstSixty}) AND published_at IS NOT NULL RETURNING id`,
      [category],
    );
    expect(reset).toHaveLength(60);
    const streamed = new Set((await readStream()).map(({ envelope }) => envelope.id));
    expect(reset.filter((row) => !streamed.has(row.id))).toEqual([]); // already delivered once
    expect(await unpublished()).toBeGreaterThanOrEqual(60);

    await sut.startReplica('events-restarted');
    await expectEventually(async () => expect(await unpublished()).toBe(0), 20_000);

    const rows = await queryDatabase<{ id: string }>(
      sut.database.url,
      `SELECT id FROM outbox WHERE payload->'data'->>'category' = $1`,
      [category],
    );
    const delivered = (await readStream()).filter(({ envelope }) => !before.has(envelope.id));
    const perId = new Map<string, number>();
    for (const { envelope } of delivered) {
      perId.set(envelope.id, (perId.get(envelope.id) ?? 0) + 1);
    }
    expect(rows).toHaveLength(150);
    expect([...perId.values()].filter((count) => count !== 1)).toEqual([]);
    expect(new Set(perId.keys())).toEqual(new Set(rows.map((row) => row.id)));
  });
});
