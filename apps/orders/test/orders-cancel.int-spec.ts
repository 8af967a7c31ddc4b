import { CATALOG_PATTERNS, ORDERS_EVENTS, OrderResponse } from '@app/contracts';
import { expectEventually } from '@test/support/expect-eventually';
import { HttpResult, OrdersStack, readStream } from '@test/support/orders-stack';

const code = (answer: HttpResult<unknown>): string | undefined => (answer.body as { code?: string }).code;

describe('POST /v1/orders/:id/cancel (two orders replicas)', () => {
  let stack: OrdersStack;

  beforeAll(async () => {
    stack = await new OrdersStack('cancel').start({ ordersReplicas: 2 });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  afterEach(async () => {
    if (stack.catalog.replicas.length === 0) {
      await stack.startCatalog();
    }
  });

  const cancelledEventsOf = async (orderId: string) =>
    (await readStream<OrderResponse>(stack.nats, 'ORDERS')).filter(
      (event) => event.type === ORDERS_EVENTS.CANCELLED && event.data.id === orderId,
    );

  const confirmedOrder = async (stock: number, quantity: number) => {
    const product = await stack.createProduct({ stock });
    const customer = await stack.tokens.customer();
    const placed = await stack.placeOrder(customer.token, [{ productId: product.id, quantity }]);
    expect(placed.status).toBe(201);
    return { product, ...customer, order: placed.body };
  };

  it('cancels a confirmed order: 200 with the cancelled order, the stock back, one cancelled event', async () => {
    const { product, token, order } = await confirmedOrder(10, 4);

    const sut = await stack.cancelOrder(token, order.id);

    expect(sut.status).toBe(200);
    expect(sut.body).toEqual({ ...order, status: 'cancelled', updatedAt: expect.any(String) });
    expect(Date.parse(sut.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(order.updatedAt));
    expect(await stack.stockOf(product.id)).toBe(10);
    expect(await stack.orderRow(order.id)).toEqual({ status: 'cancelled', stock_release: 'done' });
    await expectEventually(async () =>
      expect((await cancelledEventsOf(order.id)).map((e) => e.data)).toEqual([sut.body]),
    );
  });

  it('restores the stock once when two cancels race, and once when ten do', async () => {
    const pair = await confirmedOrder(10, 3);
    const crowd = await confirmedOrder(10, 5);

    const two = await Promise.all([1, 2].map(() => stack.cancelOrder(pair.token, pair.order.id)));
    const ten = await Promise.all(Array.from({ length: 10 }, () => stack.cancelOrder(crowd.token, crowd.order.id)));

    for (const answer of [...two, ...ten]) {
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('cancelled');
    }
    expect(new Set(two.map((answer) => answer.body.updatedAt)).size).toBe(1);
    expect(new Set(ten.map((answer) => answer.body.updatedAt)).size).toBe(1);
    await expectEventually(async () => {
      expect(await stack.stockOf(pair.product.id)).toBe(10);
      expect(await stack.stockOf(crowd.product.id)).toBe(10);
    });
    await expectEventually(async () => {
      expect(await cancelledEventsOf(pair.order.id)).toHaveLength(1);
      expect(await cancelledEventsOf(crowd.order.id)).toHaveLength(1);
    });
    const released = await stack.catalogQuery<{ n: string }>(
      `SELECT count(*) AS n FROM outbox WHERE payload->'data'->>'reason' = 'released'
       AND payload->'data'->>'orderId' = ANY($1::text[])`,
      [[pair.order.id, crowd.order.id]],
    );
    expect(released).toEqual([{ n: '2' }]);
  });

  it('answers 200 with the order unchanged when it is already cancelled', async () => {
    const { product, token, order } = await confirmedOrder(10, 2);
    const first = await stack.cancelOrder(token, order.id);

    const again = await stack.cancelOrder(token, order.id);

    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await stack.stockOf(product.id)).toBe(10);
  });

  it('answers 409 conflict for a rejected order, and changes nothing', async () => {
    const product = await stack.createProduct({ stock: 1 });
    const { token } = await stack.tokens.customer();
    await stack.placeOrder(token, [{ productId: product.id, quantity: 5 }]);
    const [rejected] = await stack.query<{ id: string }>(`SELECT id FROM orders WHERE requested @> $1::jsonb`, [
      JSON.stringify([{ productId: product.id }]),
    ]);

    const sut = await stack.cancelOrder(token, rejected.id);

    expect(sut.status).toBe(409);
    expect(code(sut)).toBe('conflict');
    expect(await stack.orderRow(rejected.id)).toEqual({ status: 'rejected', stock_release: null });
    expect(await stack.stockOf(product.id)).toBe(1);
  });

  it('answers 409 conflict for a pending order, and changes nothing', async () => {
    const product = await stack.createProduct({ stock: 5 });
    const { token } = await stack.tokens.customer();
    await stack.stopCatalog();
    await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }]);
    const [pending] = await stack.query<{ id: string }>(`SELECT id FROM orders WHERE requested @> $1::jsonb`, [
      JSON.stringify([{ productId: product.id }]),
    ]);

    const sut = await stack.cancelOrder(token, pending.id);

    expect(sut.status).toBe(409);
    expect(code(sut)).toBe('conflict');
    expect((await stack.orderRow(pending.id))?.status).toBe('pending');
  });

  it('cancels at once while catalog is unreachable, and gives the stock back once catalog is reachable again', async () => {
    const { product, token, order } = await confirmedOrder(10, 6);
    await stack.stopCatalog();

    const sut = await stack.cancelOrder(token, order.id);

    expect(sut.status).toBe(200);
    expect(sut.body.status).toBe('cancelled');
    expect(await stack.orderRow(order.id)).toEqual({ status: 'cancelled', stock_release: 'requested' });
    expect(await stack.stockOf(product.id)).toBe(4);
    await stack.startCatalog();
    await expectEventually(async () => {
      expect(await stack.stockOf(product.id)).toBe(10);
      expect(await stack.orderRow(order.id)).toEqual({ status: 'cancelled', stock_release: 'done' });
    }, 20_000);
    await expectEventually(async () => expect(await cancelledEventsOf(order.id)).toHaveLength(1));
  });

  it('gives the stock back once even when the release times out after catalog did it', async () => {
    const { product, token, order } = await confirmedOrder(10, 2);
    await stack.stopCatalog();
    const silent = await stack.silenceCatalog([CATALOG_PATTERNS.RELEASE_STOCK]);
    const sut = await stack.cancelOrder(token, order.id);
    await silent.stop();
    await stack.startCatalog();
    // The release the silent catalog swallowed is processed after all: recovery asks again.
    await stack.catalog.client.releaseStock(order.id);

    expect(sut.status).toBe(200);
    await expectEventually(async () => {
      expect(await stack.orderRow(order.id)).toEqual({ status: 'cancelled', stock_release: 'done' });
    }, 20_000);
    expect(await stack.stockOf(product.id)).toBe(10);
  });
});
