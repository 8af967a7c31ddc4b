import { randomUUID } from 'node:crypto';
import { CATALOG_PATTERNS, ORDERS_EVENTS, OrderResponse, ReserveStockRequest } from '@app/contracts';
import { expectEventually } from '@test/support/expect-eventually';
import { HttpResult, OrdersStack, readStream } from '@test/support/orders-stack';
import { OrderSettlement } from '../src/orders/order-settlement.service';
import { OrdersRepository } from '../src/orders/orders.repository';
import { RecoveryWorker } from '../src/recovery/recovery.worker';

const code = (answer: HttpResult<unknown>): string | undefined => (answer.body as { code?: string }).code;

/**
 * How long a test waits for recovery to settle an order. The protocol's bound is
 * PENDING_RECOVERY_AFTER_MS + RECOVERY_INTERVAL_MS + the recovery lease (≈ 6.7 s here); this is a
 * deadline for a loaded machine (within jest's 60 s a test), not a measurement: the tests assert
 * the states recovery reaches.
 */
const RECOVERY_DEADLINE_MS = 45_000;

describe('recovery of pending orders (two orders replicas, each running the worker)', () => {
  let stack: OrdersStack;

  beforeAll(async () => {
    stack = await new OrdersStack('recover').start({ ordersReplicas: 2 });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  afterEach(async () => {
    if (stack.catalog.replicas.length === 0) {
      await stack.startCatalog();
    }
  });

  const reservationOf = async (orderId: string) =>
    (await stack.catalogQuery<{ status: string }>('SELECT status FROM reservations WHERE order_id = $1', [orderId]))[0];

  /** Places an order while catalog swallows the reserve: the client gets 504 and the order stays pending. */
  const placeWhileCatalogIsSilent = async (items: Array<{ productId: string; quantity: number }>) => {
    const { token } = await stack.tokens.customer();
    await stack.stopCatalog();
    const silent = await stack.silenceCatalog([CATALOG_PATTERNS.RESERVE_STOCK]);
    const answer = await stack.placeOrder(token, items);
    await silent.stop();
    const [order] = await stack.query<{ id: string; status: string }>(
      `SELECT id, status FROM orders WHERE requested @> $1::jsonb`,
      [JSON.stringify([{ productId: items[0].productId }])],
    );
    return { answer, order, token, reserve: silent.swallowed[0]?.data as ReserveStockRequest };
  };

  it('fences and rejects an order whose reserve never reached catalog; no stock moves', async () => {
    const product = await stack.createProduct({ stock: 5 });
    const { answer, order, token, reserve } = await placeWhileCatalogIsSilent([{ productId: product.id, quantity: 2 }]);
    expect([answer.status, code(answer)]).toEqual([504, 'upstream-timeout']);
    expect(order.status).toBe('pending');
    await stack.startCatalog();

    await expectEventually(
      async () => expect((await stack.orderRow(order.id))?.status).toBe('rejected'),
      RECOVERY_DEADLINE_MS,
    );

    expect(await stack.stockOf(product.id)).toBe(5);
    expect(await reservationOf(order.id)).toEqual({ status: 'released' });
    const late = await stack.catalog.client.reserveStock(reserve).catch((error: { code: string }) => error.code);
    expect(late).toBe('conflict');
    expect(await stack.stockOf(product.id)).toBe(5);
    expect((await stack.getOrder(token, order.id)).body).toMatchObject({ status: 'rejected', totalCents: null });
  });

  it('confirms an order whose reserve went through but whose answer was lost', async () => {
    const product = await stack.createProduct({ stock: 5, priceCents: 400 });
    const { order, token, reserve } = await placeWhileCatalogIsSilent([{ productId: product.id, quantity: 2 }]);
    await stack.startCatalog();
    await stack.catalog.client.reserveStock(reserve);

    await expectEventually(
      async () => expect((await stack.orderRow(order.id))?.status).toBe('confirmed'),
      RECOVERY_DEADLINE_MS,
    );

    expect(await stack.stockOf(product.id)).toBe(3);
    const read = await stack.getOrder(token, order.id);
    expect(read.body).toMatchObject({ status: 'confirmed', totalCents: 800, currency: 'USD' });
    await expectEventually(async () => {
      const events = (await readStream<OrderResponse>(stack.nats, 'ORDERS')).filter(
        (event) => event.type === ORDERS_EVENTS.CONFIRMED && event.data.id === order.id,
      );
      expect(events.map((event) => event.data)).toEqual([read.body]);
    });
  });

  it('keeps orders pending while catalog is unreachable (it never guesses), then settles them once it is back', async () => {
    const product = await stack.createProduct({ stock: 5 });
    const { token } = await stack.tokens.customer();
    await stack.stopCatalog();

    const answers = await Promise.all(
      [1, 2, 3].map(() => stack.placeOrder(token, [{ productId: product.id, quantity: 1 }])),
    );
    const rows = () =>
      stack.query<{ status: string; attempts: number }>(
        `SELECT status, recovery_attempts AS attempts FROM orders WHERE requested @> $1::jsonb`,
        [JSON.stringify([{ productId: product.id }])],
      );
    await expectEventually(async () => {
      const pending = await rows();
      expect(pending).toHaveLength(3);
      expect(pending.every((row) => row.status === 'pending' && row.attempts >= 1)).toBe(true);
    }, RECOVERY_DEADLINE_MS);
    await stack.startCatalog();

    expect(answers.map((answer) => answer.status)).toEqual([503, 503, 503]);
    await expectEventually(async () => {
      expect((await rows()).map((row) => row.status)).toEqual(['rejected', 'rejected', 'rejected']);
    }, RECOVERY_DEADLINE_MS);
    expect(await stack.stockOf(product.id)).toBe(5);
  });

  it('leaves no order pending after a burst that races a catalog outage', async () => {
    const product = await stack.createProduct({ stock: 30 });
    const users = await Promise.all([1, 2, 3].map(() => stack.tokens.customer()));

    const burst = Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        stack.placeOrder(users[i % 3].token, [{ productId: product.id, quantity: 1 }]),
      ),
    );
    await stack.stopCatalog();
    const answers = await burst;
    await stack.startCatalog();

    expect(answers.every((answer) => [201, 409, 503, 504].includes(answer.status))).toBe(true);
    await expectEventually(async () => {
      const [{ pending }] = await stack.query<{ pending: string }>(
        `SELECT count(*) AS pending FROM orders WHERE status = 'pending' AND requested @> $1::jsonb`,
        [JSON.stringify([{ productId: product.id }])],
      );
      expect(Number(pending)).toBe(0);
    }, RECOVERY_DEADLINE_MS);
    const [{ sold }] = await stack.query<{ sold: string }>(
      `SELECT count(*) AS sold FROM orders WHERE status = 'confirmed' AND requested @> $1::jsonb`,
      [JSON.stringify([{ productId: product.id }])],
    );
    expect(await stack.stockOf(product.id)).toBe(30 - Number(sold));
    const createdIds = answers.filter((answer) => answer.status === 201).map((answer) => answer.body.id);
    for (const id of createdIds) {
      expect((await stack.orderRow(id))?.status).toBe('confirmed');
    }
  });
});

describe('recovery claims (workers driven by the test)', () => {
  let stack: OrdersStack;

  beforeAll(async () => {
    stack = await new OrdersStack('claims', { RECOVERY_ENABLED: 'false' }).start({ ordersReplicas: 2 });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  it('lets a recorded fence win over a late confirm: the order is rejected and its stock given back', async () => {
    const product = await stack.createProduct({ stock: 10 });
    const orderId = randomUUID();
    const lines = [{ productId: product.id, quantity: 3 }];
    await stack.query(`INSERT INTO orders (id, user_id, requested, next_recovery_at) VALUES ($1, $2, $3, NULL)`, [
      orderId,
      randomUUID(),
      JSON.stringify(lines),
    ]);
    // The saga's reserve went through, but its answer arrives only after recovery decided to fence.
    const reservation = await stack.catalog.client.reserveStock({ orderId, lines });
    const [repository] = stack.orders.map((replica) => replica.app.get(OrdersRepository));
    const pending = await repository.find(orderId);
    expect(await repository.requestFence(orderId)).toMatchObject({ id: orderId, stockRelease: 'requested' });

    const settled = await stack.orders[1].app.get(OrderSettlement).apply(pending!, { kind: 'reserved', reservation });

    expect(settled).toMatchObject({ id: orderId, status: 'rejected', stockRelease: 'done' });
    expect(await stack.orderRow(orderId)).toEqual({ status: 'rejected', stock_release: 'done' });
    expect(await stack.stockOf(product.id)).toBe(10);
    expect(await stack.catalogQuery('SELECT status FROM reservations WHERE order_id = $1', [orderId])).toEqual([
      { status: 'released' },
    ]);
    const confirmed = await stack.query(`SELECT 1 FROM outbox WHERE subject = $1 AND payload->'data'->>'id' = $2`, [
      ORDERS_EVENTS.CONFIRMED,
      orderId,
    ]);
    expect(confirmed).toEqual([]);
  });

  it('never gives the same order to two replicas, and settles each exactly once when both run at once', async () => {
    const product = await stack.createProduct({ stock: 100 });
    const ids = Array.from({ length: 120 }, () => randomUUID());
    await stack.query(
      `INSERT INTO orders (id, user_id, requested, next_recovery_at)
       SELECT id, $2, $3, now() - interval '1 second' FROM unnest($1::uuid[]) AS id`,
      [ids, randomUUID(), JSON.stringify([{ productId: product.id, quantity: 1 }])],
    );
    // Half of them did reach catalog before their replica lost track of them.
    for (const id of ids.slice(0, 60)) {
      await stack.catalog.client.reserveStock({ orderId: id, lines: [{ productId: product.id, quantity: 1 }] });
    }
    const repositories = stack.orders.map((replica) => replica.app.get(OrdersRepository));

    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => repositories[i % 2].claimDue(20, 60_000)));
    const claimed = claims.flat().map((row) => row.id);
    expect(claimed).toHaveLength(120);
    expect(new Set(claimed).size).toBe(120);
    expect(await repositories[0].claimDue(20, 60_000)).toEqual([]);

    await stack.query(`UPDATE orders SET next_recovery_at = now() WHERE status = 'pending'`);
    const workers = stack.orders.map((replica) => replica.app.get(RecoveryWorker));
    await expectEventually(async () => {
      await Promise.all(workers.map((worker) => worker.runOnce()));
      const rows = await stack.query<{ status: string; n: string }>(
        `SELECT status, count(*) AS n FROM orders WHERE id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
        [ids],
      );
      expect(rows).toEqual([
        { status: 'confirmed', n: '60' },
        { status: 'rejected', n: '60' },
      ]);
    }, 30_000);
    expect(await stack.stockOf(product.id)).toBe(40);
    const reservations = await stack.catalogQuery<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM reservations WHERE order_id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
      [ids],
    );
    expect(reservations).toEqual([
      { status: 'released', n: '60' },
      { status: 'reserved', n: '60' },
    ]);
  });
});
