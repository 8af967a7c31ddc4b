import { randomUUID } from 'node:crypto';
import { ORDERS_EVENTS, OrderResponse } from '@app/contracts';
import { expectStockAccountedFor, httpCall, OrdersStack, readStream } from '@test/support/orders-stack';
import { expectEventually } from '@test/support/expect-eventually';

describe('placing orders (two orders and two catalog replicas, through the gateway)', () => {
  let stack: OrdersStack;

  beforeAll(async () => {
    stack = await new OrdersStack('place').start({ catalogReplicas: 2, ordersReplicas: 2 });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  const codeOf = (answer: { body: unknown }): string | undefined => (answer.body as { code?: string }).code;

  const orderCount = async (): Promise<number> =>
    Number((await stack.query<{ n: string }>('SELECT count(*) AS n FROM orders'))[0].n);

  describe('POST /v1/orders', () => {
    it('answers 201 with the confirmed order, prices and names snapshotted, in the order the lines were sent', async () => {
      const mug = await stack.createProduct({ name: 'Mug', priceCents: 1250, stock: 10 });
      const plate = await stack.createProduct({ name: 'Plate', priceCents: 700, stock: 10 });
      const { userId, token } = await stack.tokens.customer();

      const sut = await stack.placeOrder(token, [
        { productId: plate.id, quantity: 3 },
        { productId: mug.id.toUpperCase(), quantity: 2 },
      ]);
      await stack.catalog.client.updateProduct({ id: mug.id, priceCents: 9999, name: 'Renamed mug' });
      const readBack = await stack.getOrder(token, sut.body.id);

      expect(sut.status).toBe(201);
      expect(sut.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId,
        status: 'confirmed',
        items: [
          {
            productId: plate.id,
            sku: plate.sku,
            name: 'Plate',
            unitPriceCents: 700,
            quantity: 3,
            lineTotalCents: 2100,
          },
          { productId: mug.id, sku: mug.sku, name: 'Mug', unitPriceCents: 1250, quantity: 2, lineTotalCents: 2500 },
        ],
        totalCents: 4600,
        currency: 'USD',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(sut.headers.get('idempotent-replayed')).toBeNull();
      expect(readBack.body).toEqual(sut.body);
      expect(await stack.stockOf(mug.id)).toBe(8);
      expect(await stack.stockOf(plate.id)).toBe(7);
    });

    it('publishes orders.events.confirmed with the order, exactly once', async () => {
      const product = await stack.createProduct({ stock: 5 });
      const { token } = await stack.tokens.customer();

      const placed = await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }]);

      await expectEventually(async () => {
        const events = (await readStream<OrderResponse>(stack.nats, 'ORDERS')).filter(
          (event) => event.data.id === placed.body.id,
        );
        expect(events).toEqual([
          { id: expect.any(String), type: ORDERS_EVENTS.CONFIRMED, occurredAt: expect.any(String), data: placed.body },
        ]);
      });
    });

    it('reserves all lines or none: one short line is 409 insufficient-stock and leaves every stock as it was', async () => {
      const plenty = await stack.createProduct({ stock: 5 });
      const scarce = await stack.createProduct({ stock: 1 });
      const { token } = await stack.tokens.customer();

      const sut = await stack.placeOrder(token, [
        { productId: plenty.id, quantity: 2 },
        { productId: scarce.id, quantity: 2 },
      ]);

      expect(sut.status).toBe(409);
      expect(sut.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(sut.body).toMatchObject({ code: 'insufficient-stock', status: 409 });
      expect(await stack.stockOf(plenty.id)).toBe(5);
      expect(await stack.stockOf(scarce.id)).toBe(1);
      const rows = await stack.query<{ status: string; rejection: { code: string } }>(
        `SELECT status, rejection FROM orders WHERE requested @> $1::jsonb`,
        [JSON.stringify([{ productId: scarce.id }])],
      );
      expect(rows).toEqual([
        { status: 'rejected', rejection: expect.objectContaining({ code: 'insufficient-stock' }) },
      ]);
    });

    it('refuses an archived or missing product as 422 unknown-product, and mixed currencies as 422 mixed-currency', async () => {
      const live = await stack.createProduct({ stock: 5 });
      const archived = await stack.createProduct({ stock: 5 });
      await stack.catalog.client.archiveProduct(archived.id);
      const euros = await stack.createProduct({ stock: 5, currency: 'EUR' });
      const { token } = await stack.tokens.customer();

      const unknown = await stack.placeOrder(token, [
        { productId: live.id, quantity: 1 },
        { productId: archived.id, quantity: 1 },
        { productId: randomUUID(), quantity: 1 },
      ]);
      const mixed = await stack.placeOrder(token, [
        { productId: live.id, quantity: 1 },
        { productId: euros.id, quantity: 1 },
      ]);

      expect(unknown.status).toBe(422);
      expect(unknown.body).toMatchObject({ code: 'unknown-product' });
      expect(mixed.status).toBe(422);
      expect(mixed.body).toMatchObject({ code: 'mixed-currency' });
      expect(await stack.stockOf(live.id)).toBe(5);
      expect(await stack.stockOf(euros.id)).toBe(5);
    });

    it('sells exactly 50 when 200 orders from 10 users race for a stock of 50 across two replicas of each service', async () => {
      const product = await stack.createProduct({ stock: 50, priceCents: 300 });
      const users = await Promise.all(Array.from({ length: 10 }, () => stack.tokens.customer()));

      // Clients retry 503/504 with their Idempotency-Key and a backoff: under this contention catalog may shed load.
      const finals = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          stack.placeWithRetries(users[i % 10].token, [{ productId: product.id, quantity: 1 }], `storm-${i}`),
        ),
      );

      const created = finals.filter((answer) => answer.status === 201);
      expect(stack.deadlocksLogged()).toEqual([]);
      expect(created).toHaveLength(50);
      expect(created.every((answer) => answer.body.status === 'confirmed')).toBe(true);
      expect(new Set(created.map((answer) => answer.body.id)).size).toBe(50);
      expect(finals.filter((answer) => answer.status !== 201).map((answer) => [answer.status, codeOf(answer)])).toEqual(
        Array.from({ length: 150 }, () => [409, 'insufficient-stock']),
      );
      expect(await stack.stockOf(product.id)).toBe(0);
      const statuses = await stack.query<{ status: string; n: string; quantity: string }>(
        `SELECT status, count(*) AS n, sum((requested->0->>'quantity')::int) AS quantity FROM orders
         WHERE requested->0->>'productId' = $1 GROUP BY status ORDER BY status`,
        [product.id],
      );
      expect(statuses).toEqual([
        { status: 'confirmed', n: '50', quantity: '50' },
        { status: 'rejected', n: '150', quantity: '150' },
      ]);
      await expectStockAccountedFor(stack, product.id, 50);
      await expectEventually(async () => {
        const confirmed = (await readStream<OrderResponse>(stack.nats, 'ORDERS')).filter(
          (event) => event.type === ORDERS_EVENTS.CONFIRMED && event.data.items[0]?.productId === product.id,
        );
        expect(confirmed.map((event) => event.data.id).sort()).toEqual(created.map((answer) => answer.body.id).sort());
      });
      // Correctness, not speed, is asserted: the clients' retry window (90 s) bounds the test.
    }, 150_000);
  });

  describe('validation', () => {
    const line = (overrides: Record<string, unknown> = {}) => ({ productId: randomUUID(), quantity: 1, ...overrides });

    it.each([
      ['no body', undefined, undefined],
      ['an empty object', {}, 'items'],
      ['items null', { items: null }, 'items'],
      ['items not an array', { items: 'all of them' }, 'items'],
      ['no lines', { items: [] }, 'items'],
      ['51 lines', { items: Array.from({ length: 51 }, () => line()) }, 'items'],
      [
        'the same product twice',
        {
          items: [
            line({ productId: '7c1f2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f' }),
            line({ productId: '7C1F2E3D-4B5A-4C6D-8E7F-9A0B1C2D3E4F' }),
          ],
        },
        'items',
      ],
      ['a line that is not an object', { items: [null] }, 'items[0]'],
      ['a malformed product id', { items: [line({ productId: 'mug-42' })] }, 'items[0].productId'],
      ['a missing product id', { items: [{ quantity: 1 }] }, 'items[0].productId'],
      ['quantity 0', { items: [line({ quantity: 0 })] }, 'items[0].quantity'],
      ['quantity 1001', { items: [line({ quantity: 1001 })] }, 'items[0].quantity'],
      ['quantity 1.5', { items: [line({ quantity: 1.5 })] }, 'items[0].quantity'],
      ['quantity "2"', { items: [line({ quantity: '2' })] }, 'items[0].quantity'],
      ['a missing quantity', { items: [{ productId: randomUUID() }] }, 'items[0].quantity'],
      ['an unknown field', { items: [line()], userId: randomUUID() }, 'userId'],
      ['an unknown line field', { items: [line({ unitPriceCents: 1 })] }, 'items[0].unitPriceCents'],
    ])('answers 400 validation-error for %s, and creates nothing', async (_name, body, field) => {
      const { token } = await stack.tokens.customer();
      const before = await orderCount();

      const sut = await httpCall<{ code: string; errors?: Array<{ field: string }> }>(`${stack.url}/v1/orders`, {
        method: 'POST',
        token,
        ...(body === undefined ? {} : { body }),
      });

      expect(sut.status).toBe(400);
      expect(sut.body.code).toBe('validation-error');
      if (field !== undefined) {
        expect(sut.body.errors?.map((error) => error.field)).toContain(field);
      }
      expect(await orderCount()).toBe(before);
    });

    it('accepts exactly 50 lines and quantities 1 and 1000', async () => {
      const products = await Promise.all(Array.from({ length: 50 }, () => stack.createProduct({ stock: 1000 })));
      const { token } = await stack.tokens.customer();

      const sut = await stack.placeOrder(
        token,
        products.map((product, i) => ({ productId: product.id, quantity: i === 0 ? 1000 : 1 })),
      );

      expect(sut.status).toBe(201);
      expect(sut.body.items).toHaveLength(50);
      expect(await stack.stockOf(products[0].id)).toBe(0);
    });

    it('answers 400 for malformed JSON', async () => {
      const { token } = await stack.tokens.customer();

      const sut = await httpCall<{ code: string }>(`${stack.url}/v1/orders`, { token, rawBody: '{"items": [' });

      expect(sut.status).toBe(400);
      expect(sut.body.code).toBe('validation-error');
    });
  });
});
