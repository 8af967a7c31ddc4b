import { CATALOG_PATTERNS, ORDERS_EVENTS, OrderResponse, ReserveStockRequest } from '@app/contracts';
import { expectEventually } from '@test/support/expect-eventually';
import { startGatewayInProcess } from '@test/support/in-process';
import { httpCall, HttpResult, OrdersStack, readStream } from '@test/support/orders-stack';
import { IdempotencyCleanup } from '../src/idempotency/idempotency-cleanup.service';
import { RecoveryWorker } from '../src/recovery/recovery.worker';

type Problem = { code: string; status: number; detail: string };

const problem = (answer: HttpResult<unknown>): Problem => answer.body as Problem;

describe('Idempotency-Key on POST /v1/orders (two orders replicas)', () => {
  let stack: OrdersStack;

  beforeAll(async () => {
    // Recovery runs only when a test asks, so what a retry finds is up to the test.
    stack = await new OrdersStack('idem', { RECOVERY_ENABLED: 'false' }).start({ ordersReplicas: 2 });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  afterEach(async () => {
    if (stack.catalog.replicas.length === 0) {
      await stack.startCatalog();
    }
  });

  const ordersOf = (userId: string) =>
    stack.query<{ id: string; status: string }>('SELECT id, status FROM orders WHERE user_id = $1', [userId]);

  const confirmedEventsOf = async (orderId: string) =>
    (await readStream<OrderResponse>(stack.nats, 'ORDERS')).filter(
      (event) => event.type === ORDERS_EVENTS.CONFIRMED && event.data.id === orderId,
    );

  /** Runs one recovery round now on one replica, after making every pending order due. */
  const recoverNow = async (): Promise<void> => {
    await stack.query(`UPDATE orders SET next_recovery_at = now() WHERE status = 'pending'`);
    await stack.orders[0].app.get(RecoveryWorker).runOnce();
  };

  it('replays the original status and body with Idempotent-Replayed: true, and creates nothing', async () => {
    const product = await stack.createProduct({ stock: 10 });
    const { userId, token } = await stack.tokens.customer();
    const items = [{ productId: product.id, quantity: 3 }];

    const first = await stack.placeOrder(token, items, 'order-1');
    const second = await stack.placeOrder(token, items, 'order-1');
    const third = await stack.placeOrder(token, items, 'order-1');

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    for (const replay of [second, third]) {
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
    }
    expect(await ordersOf(userId)).toEqual([{ id: first.body.id, status: 'confirmed' }]);
    expect(await stack.stockOf(product.id)).toBe(7);
    await expectEventually(async () => expect(await confirmedEventsOf(first.body.id)).toHaveLength(1));
  });

  it('treats the same lines listed in another order as the same request', async () => {
    const a = await stack.createProduct({ stock: 10 });
    const b = await stack.createProduct({ stock: 10 });
    const { userId, token } = await stack.tokens.customer();

    const first = await stack.placeOrder(
      token,
      [
        { productId: a.id, quantity: 1 },
        { productId: b.id, quantity: 2 },
      ],
      'k',
    );
    const again = await stack.placeOrder(
      token,
      [
        { productId: b.id, quantity: 2 },
        { productId: a.id, quantity: 1 },
      ],
      'k',
    );

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await ordersOf(userId)).toHaveLength(1);
  });

  it('answers 422 idempotency-key-reused for the same key with another body, and creates nothing', async () => {
    const product = await stack.createProduct({ stock: 10 });
    const { userId, token } = await stack.tokens.customer();
    await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }], 'reused');

    const sut = await stack.placeOrder(token, [{ productId: product.id, quantity: 2 }], 'reused');

    expect(sut.status).toBe(422);
    expect(problem(sut).code).toBe('idempotency-key-reused');
    expect(sut.headers.get('idempotent-replayed')).toBeNull();
    expect(await ordersOf(userId)).toHaveLength(1);
    expect(await stack.stockOf(product.id)).toBe(9);
  });

  it('scopes keys to the user: another user with the same key places its own order', async () => {
    const product = await stack.createProduct({ stock: 10 });
    const alice = await stack.tokens.customer();
    const bob = await stack.tokens.customer();
    const items = [{ productId: product.id, quantity: 1 }];

    const mine = await stack.placeOrder(alice.token, items, 'shared-key');
    const theirs = await stack.placeOrder(bob.token, items, 'shared-key');

    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.userId).toBe(bob.userId);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await stack.stockOf(product.id)).toBe(8);
  });

  it('creates one order when 20 requests with one key arrive at once; the others replay it or get 409 in-use', async () => {
    const product = await stack.createProduct({ stock: 100 });
    const { userId, token } = await stack.tokens.customer();
    const items = [{ productId: product.id, quantity: 4 }];

    const answers = await Promise.all(Array.from({ length: 20 }, () => stack.placeOrder(token, items, 'burst')));

    const created = answers.filter((answer) => answer.status === 201);
    const busy = answers.filter((answer) => answer.status !== 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
    expect(created.filter((answer) => answer.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(busy.map((answer) => [answer.status, problem(answer).code])).toEqual(
      busy.map(() => [409, 'idempotency-key-in-use']),
    );
    expect(await ordersOf(userId)).toEqual([{ id: created[0].body.id, status: 'confirmed' }]);
    expect(await stack.stockOf(product.id)).toBe(96);
  });

  it('answers 409 idempotency-key-in-use while the first request is still waiting for catalog', async () => {
    const product = await stack.createProduct({ stock: 10 });
    const { userId, token } = await stack.tokens.customer();
    const items = [{ productId: product.id, quantity: 1 }];
    await stack.stopCatalog();
    const silent = await stack.silenceCatalog([CATALOG_PATTERNS.RESERVE_STOCK]);
    try {
      const first = stack.placeOrder(token, items, 'slow');
      await expectEventually(() => expect(silent.swallowed).toHaveLength(1));

      const duplicate = await stack.placeOrder(token, items, 'slow');

      expect(duplicate.status).toBe(409);
      expect(problem(duplicate).code).toBe('idempotency-key-in-use');
      expect((await first).status).toBe(504);
      expect(await ordersOf(userId)).toEqual([{ id: expect.any(String), status: 'pending' }]);
    } finally {
      await silent.stop();
    }
  });

  it('replays a refusal (409 insufficient-stock) as first answered, even after stock arrives', async () => {
    const product = await stack.createProduct({ stock: 1 });
    const { userId, token } = await stack.tokens.customer();
    const items = [{ productId: product.id, quantity: 2 }];
    const first = await stack.placeOrder(token, items, 'too-many');
    await stack.catalog.client.updateProduct({ id: product.id, stock: 10 });

    const replay = await stack.placeOrder(token, items, 'too-many');

    expect(first.status).toBe(409);
    expect(replay.status).toBe(409);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect({ ...problem(replay), requestId: undefined }).toEqual({ ...problem(first), requestId: undefined });
    expect(await ordersOf(userId)).toEqual([{ id: expect.any(String), status: 'rejected' }]);
    expect(await stack.stockOf(product.id)).toBe(10);
  });

  it('replays the order as it was confirmed even after it was cancelled', async () => {
    const product = await stack.createProduct({ stock: 5 });
    const { token } = await stack.tokens.customer();
    const items = [{ productId: product.id, quantity: 1 }];
    const first = await stack.placeOrder(token, items, 'then-cancelled');
    await stack.cancelOrder(token, first.body.id);

    const replay = await stack.placeOrder(token, items, 'then-cancelled');

    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect((await stack.getOrder(token, first.body.id)).body.status).toBe('cancelled');
  });

  it.each([
    ['empty', ''],
    ['256 characters long', 'k'.repeat(256)],
    ['holding a tab', 'a\tb'],
  ])('answers 400 validation-error for an Idempotency-Key %s, and creates nothing', async (_name, key) => {
    const product = await stack.createProduct({ stock: 5 });
    const { userId, token } = await stack.tokens.customer();

    const sut = await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }], key);

    expect(sut.status).toBe(400);
    expect(sut.body).toMatchObject({ code: 'validation-error', errors: [{ field: 'Idempotency-Key' }] });
    expect(await ordersOf(userId)).toEqual([]);
  });

  it('accepts a 255-character key of printable characters', async () => {
    const product = await stack.createProduct({ stock: 5 });
    const { token } = await stack.tokens.customer();
    const key = ` !"#$%&'()*+,-./09:;<=>?@AZ[\\]^_\`az{|}~`.padEnd(255, 'x');

    const first = await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }], key);
    const replay = await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }], key);

    expect(first.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  describe('after a 503 or 504', () => {
    it('answers 503 while catalog is down, keeps one pending order, and confirms it on the retry once catalog is back', async () => {
      const product = await stack.createProduct({ stock: 5 });
      const { userId, token } = await stack.tokens.customer();
      const items = [{ productId: product.id, quantity: 2 }];
      await stack.stopCatalog();

      const first = await stack.placeOrder(token, items, 'while-down');
      const stillDown = await stack.placeOrder(token, items, 'while-down');
      await stack.startCatalog();
      const retry = await stack.placeOrder(token, items, 'while-down');
      const again = await stack.placeOrder(token, items, 'while-down');

      expect([first.status, problem(first).code]).toEqual([503, 'service-unavailable']);
      expect([stillDown.status, problem(stillDown).code]).toEqual([503, 'service-unavailable']);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.status).toBe('confirmed');
      expect(again.body).toEqual(retry.body);
      expect(await ordersOf(userId)).toEqual([{ id: retry.body.id, status: 'confirmed' }]);
      expect(await stack.stockOf(product.id)).toBe(3);
    });

    it('answers 201 on the retry when the reserve went through but its answer was lost', async () => {
      const product = await stack.createProduct({ stock: 5 });
      const { userId, token } = await stack.tokens.customer();
      const items = [{ productId: product.id, quantity: 2 }];
      await stack.stopCatalog();
      const silent = await stack.silenceCatalog([CATALOG_PATTERNS.RESERVE_STOCK]);
      const timedOut = await stack.placeOrder(token, items, 'lost-answer');
      await silent.stop();
      await stack.startCatalog();
      // The reserve the silent catalog swallowed is processed after all, as if only its answer was lost.
      await stack.catalog.client.reserveStock(silent.swallowed[0].data as ReserveStockRequest);

      const retry = await stack.placeOrder(token, items, 'lost-answer');

      expect([timedOut.status, problem(timedOut).code]).toEqual([504, 'upstream-timeout']);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await ordersOf(userId)).toEqual([{ id: retry.body.id, status: 'confirmed' }]);
      expect(await stack.stockOf(product.id)).toBe(3);
    });

    it('answers a final, replayed 504 once recovery has rejected the order, and a late reserve takes nothing', async () => {
      const product = await stack.createProduct({ stock: 5 });
      const { userId, token } = await stack.tokens.customer();
      const items = [{ productId: product.id, quantity: 2 }];
      await stack.stopCatalog();
      const silent = await stack.silenceCatalog([CATALOG_PATTERNS.RESERVE_STOCK]);
      const timedOut = await stack.placeOrder(token, items, 'fenced');
      await silent.stop();
      await stack.startCatalog();

      await recoverNow();
      const retry = await stack.placeOrder(token, items, 'fenced');
      const late = await stack.catalog.client
        .reserveStock(silent.swallowed[0].data as ReserveStockRequest)
        .catch((error: { code: string }) => error.code);

      expect(timedOut.status).toBe(504);
      expect(retry.status).toBe(504);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(problem(retry).code).toBe('upstream-timeout');
      expect(problem(retry).detail).toMatch(/new Idempotency-Key/);
      expect(late).toBe('conflict');
      expect(await ordersOf(userId)).toEqual([{ id: expect.any(String), status: 'rejected' }]);
      expect(await stack.stockOf(product.id)).toBe(5);
    });
  });

  describe('expiry', () => {
    it('remembers a key for IDEMPOTENCY_TTL_HOURS (24 h by default)', async () => {
      const product = await stack.createProduct({ stock: 5 });
      const { userId, token } = await stack.tokens.customer();
      await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }], 'kept');

      const [row] = await stack.query<{ hours: number }>(
        `SELECT extract(epoch FROM expires_at - created_at) / 3600 AS hours FROM idempotency_keys WHERE user_id = $1`,
        [userId],
      );

      expect(Number(row.hours)).toBe(24);
    });

    it('forgets an expired key: the same key then places a new order, and the sweep deletes expired keys only', async () => {
      const product = await stack.createProduct({ stock: 5 });
      const { userId, token } = await stack.tokens.customer();
      const items = [{ productId: product.id, quantity: 1 }];
      const old = await stack.placeOrder(token, items, 'old-key');
      await stack.placeOrder(token, items, 'live-key');
      await stack.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old-key'`);

      const fresh = await stack.placeOrder(token, items, 'old-key');
      await stack.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old-key'`);
      const swept = await stack.orders[1].app.get(IdempotencyCleanup).sweep();

      expect(fresh.status).toBe(201);
      expect(fresh.headers.get('idempotent-replayed')).toBeNull();
      expect(fresh.body.id).not.toBe(old.body.id);
      expect(swept).toBeGreaterThanOrEqual(1);
      const keys = await stack.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE user_id = $1', [userId]);
      expect(keys).toEqual([{ key: 'live-key' }]);
    });
  });

  it('is remembered across gateway replicas too: a second gateway replays the first one’s answer', async () => {
    const product = await stack.createProduct({ stock: 5 });
    const { token } = await stack.tokens.customer();
    const other = await startGatewayInProcess({
      ...stack.nats.env('gateway'),
      RATE_LIMIT_RPM: '0',
      ...stack.tokens.gatewayEnv(),
    });
    try {
      const first = await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }], 'two-gateways');
      const replay = await httpCall<OrderResponse>(`${other.url}/v1/orders`, {
        token,
        body: { items: [{ productId: product.id, quantity: 1 }] },
        headers: { 'idempotency-key': 'two-gateways' },
      });

      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
    } finally {
      await other.close();
    }
  });
});
