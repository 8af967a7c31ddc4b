import { randomUUID } from 'node:crypto';
import { AckPolicy, jetstreamManager } from '@nats-io/jetstream';
import { BazaarMetrics } from '@app/common/ops';
import { BazaarNatsClient } from '@app/common/messaging';
import { CATALOG_PATTERNS, CATALOG_STREAM } from '@app/contracts';
import { CatalogClient } from '@app/common/clients';
import { DomainError } from '@app/common/errors';
import { CatalogStack, startCatalogStack } from '@test/support/catalog-stack';
import { expectEventually } from '@test/support/expect-eventually';
import { queryDatabase } from '@test/support/test-database';

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/**
 * Behind the server's permissions, catalog checks its callers itself (caller-check.ts): only the
 * identities the bus policy names may call a subject, told apart by the private inbox their
 * answers go to. Shown here where the server no longer stands in the way.
 */
describe('catalog refuses callers the bus policy does not name', () => {
  describe('on a bus whose permissions were loosened by mistake', () => {
    let sut: CatalogStack;
    let gatewayClient: BazaarNatsClient;

    beforeAll(async () => {
      sut = await startCatalogStack('callers-open', { openBus: true });
      gatewayClient = new BazaarNatsClient(sut.nats.bus('gateway'), 'as-gateway', new BazaarMetrics('callers-test'));
    });

    afterAll(async () => {
      await gatewayClient?.close();
      await sut?.dispose();
    });

    it('answers a stock release from the gateway (only orders may) with forbidden, and releases nothing', async () => {
      const product = await sut.createProduct({ stock: 10 });
      const orderId = randomUUID();
      await sut.client.reserveStock({ orderId, lines: [{ productId: product.id, quantity: 3 }] });

      const refusal = await failureOf(new CatalogClient(gatewayClient, { timeoutMs: 5000 }).releaseStock(orderId));

      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: 'forbidden' });
      expect(await sut.stockOf(product.id)).toBe(7);
    });

    it('answers a stranger on the default inbox with forbidden, running no handler', async () => {
      const stranger = await sut.nats.connect('events');
      try {
        const packet = JSON.stringify({ pattern: CATALOG_PATTERNS.GET_PRODUCT, data: { id: randomUUID() }, id: '1' });
        const reply = await stranger.request(CATALOG_PATTERNS.GET_PRODUCT, packet, { timeout: 5000 });
        expect(reply.json()).toMatchObject({ err: { code: 'forbidden', status: 403 } });
      } finally {
        await stranger.close();
      }
    });
  });

  describe('on the shipped, authorized bus', () => {
    let sut: CatalogStack;

    beforeAll(async () => {
      sut = await startCatalogStack('callers-js');
    });

    afterAll(async () => {
      await sut?.dispose();
    });

    it('refuses what a JetStream push consumer delivers into its request subjects (NATS lets a reader aim one anywhere)', async () => {
      const product = await sut.createProduct({ stock: 10 });
      const orderId = randomUUID();
      await sut.client.reserveStock({ orderId, lines: [{ productId: product.id, quantity: 3 }] });
      // The stream now holds stock-changed events that name the order: replayed into the release
      // subject, each would read as "release this order" but for the caller check.
      const events = await sut.nats.connect('events');
      try {
        const manager = await jetstreamManager(events);
        await expectEventually(async () =>
          expect((await manager.streams.info(CATALOG_STREAM.name)).state.messages).toBeGreaterThanOrEqual(2),
        );
        await manager.consumers.add(CATALOG_STREAM.name, {
          durable_name: 'aimed-at-release',
          deliver_subject: CATALOG_PATTERNS.RELEASE_STOCK,
          // The service listens in a queue group: a push consumer delivers to one only when told its name.
          deliver_group: 'catalog',
          ack_policy: AckPolicy.Explicit,
        });
        await expectEventually(async () => {
          const info = await manager.consumers.info(CATALOG_STREAM.name, 'aimed-at-release');
          expect(info.delivered.stream_seq).toBeGreaterThanOrEqual(2);
        });
      } finally {
        await events.close();
      }

      // Every delivery reached catalog and was refused before a handler ran.
      const refusals = (): Array<Record<string, unknown>> =>
        sut.replicas
          .flatMap((replica) => replica.logs.lines)
          .filter((line) => line.msg === 'Refused a request from an identity not allowed to call it');
      await expectEventually(() => expect(refusals().length).toBeGreaterThanOrEqual(2));
      expect(refusals()[0]).toMatchObject({
        subject: CATALOG_PATTERNS.RELEASE_STOCK,
        reply: expect.stringMatching(/^\$JS\.ACK\./),
      });
      expect(await sut.stockOf(product.id)).toBe(7);
      const [reservation] = await queryDatabase<{ status: string }>(
        sut.database.url,
        'SELECT status FROM reservations WHERE order_id = $1',
        [orderId],
      );
      expect(reservation.status).toBe('reserved');
    });
  });
});
