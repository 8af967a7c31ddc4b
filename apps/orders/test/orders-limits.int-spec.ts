import { randomUUID } from 'node:crypto';
import { expectStockAccountedFor, HttpResult, OrderLine, OrdersStack } from '@test/support/orders-stack';
import { OrderPlacementService } from '../src/orders/order-placement.service';

const MAX_UNITS_PER_ORDER = 6;
const MAX_UNITS_PER_CUSTOMER = 10;
const WINDOW_MINUTES = 60;

interface Problem {
  code: string;
  details?: Record<string, unknown>;
}

/**
 * Issue #12, finding 4 (OWASP API6, stock hoarding): the bounds on units per order and per customer
 * within a rolling window, placed through the gateway onto two orders replicas.
 */
describe('unit limits on placing orders (two orders replicas, through the gateway)', () => {
  let stack: OrdersStack;

  beforeAll(async () => {
    stack = await new OrdersStack('limits', {
      MAX_UNITS_PER_ORDER: String(MAX_UNITS_PER_ORDER),
      MAX_UNITS_PER_CUSTOMER: String(MAX_UNITS_PER_CUSTOMER),
      CUSTOMER_UNITS_WINDOW_MINUTES: String(WINDOW_MINUTES),
    }).start({ ordersReplicas: 2 });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  const problem = (answer: HttpResult<unknown>): Problem => answer.body as Problem;
  const line = (productId: string, quantity: number): OrderLine => ({ productId, quantity });
  const ordersOf = (userId: string) =>
    stack.query<{ status: string; units: number }>(
      `SELECT status, (SELECT sum((l->>'quantity')::int) FROM jsonb_array_elements(requested) l)::int AS units
       FROM orders WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
  /** Counts the placements each orders replica handles from now on (each replica is a Nest app of its own). */
  const placementsPerReplica = (): (() => number[]) => {
    const spies = stack.orders.map((replica) => jest.spyOn(replica.app.get(OrderPlacementService), 'place'));
    return () => spies.map((spy) => spy.mock.calls.length);
  };

  it('refuses an order of more units than one order may reserve as 422 order-too-large, creating nothing', async () => {
    const mug = await stack.createProduct({ stock: 20 });
    const plate = await stack.createProduct({ stock: 20 });
    const { userId, token } = await stack.tokens.customer();

    const tooLarge = await stack.placeOrder(token, [line(mug.id, 4), line(plate.id, 3)]);
    const largest = await stack.placeOrder(token, [line(mug.id, 3), line(plate.id, 3)]);

    expect(tooLarge.status).toBe(422);
    expect(tooLarge.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem(tooLarge)).toMatchObject({ code: 'order-too-large', details: { maxUnitsPerOrder: 6, units: 7 } });
    expect(largest.status).toBe(201);
    expect(await ordersOf(userId)).toEqual([{ status: 'confirmed', units: 6 }]);
    expect([await stack.stockOf(mug.id), await stack.stockOf(plate.id)]).toEqual([17, 17]);
  });

  it('lets exactly the budget through when one customer places many orders at once on both replicas', async () => {
    const product = await stack.createProduct({ stock: 100 });
    const { userId, token } = await stack.tokens.customer();
    const handled = placementsPerReplica();

    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => stack.placeOrder(token, [line(product.id, 1)], `burst-${i}`)),
    );

    const outcomes = answers.map((answer) => (answer.status === 201 ? 'placed' : problem(answer).code));
    expect(outcomes.filter((outcome) => outcome === 'placed')).toHaveLength(MAX_UNITS_PER_CUSTOMER);
    expect(outcomes.filter((outcome) => outcome === 'unit-quota-exceeded')).toHaveLength(30 - MAX_UNITS_PER_CUSTOMER);
    expect(await ordersOf(userId)).toEqual(Array(MAX_UNITS_PER_CUSTOMER).fill({ status: 'confirmed', units: 1 }));
    await expectStockAccountedFor(stack, product.id, 100);
    expect(await stack.stockOf(product.id)).toBe(100 - MAX_UNITS_PER_CUSTOMER);
    // The premise: the burst was judged on both replicas, not serialised by one process.
    expect(handled().every((count) => count > 0)).toBe(true);
  });

  it('answers a replay of an accepted order from its record: never counted twice, never refused', async () => {
    const product = await stack.createProduct({ stock: 50 });
    const { userId, token } = await stack.tokens.customer();
    const key = `replay-${randomUUID()}`;

    const first = await stack.placeOrder(token, [line(product.id, 6)], key);
    const replay = await stack.placeOrder(token, [line(product.id, 6)], key);
    const rest = await stack.placeOrder(token, [line(product.id, 4)], randomUUID());
    const replaysWhenFull = await Promise.all(
      [1, 2, 3, 4, 5].map(() => stack.placeOrder(token, [line(product.id, 6)], key)),
    );
    const oneMore = await stack.placeOrder(token, [line(product.id, 1)], randomUUID());

    expect([first.status, replay.status, rest.status]).toEqual([201, 201, 201]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    for (const again of replaysWhenFull) {
      expect({ status: again.status, replayed: again.headers.get('idempotent-replayed'), body: again.body }).toEqual({
        status: 201,
        replayed: 'true',
        body: first.body,
      });
    }
    expect(oneMore.status).toBe(409);
    expect(problem(oneMore)).toMatchObject({
      code: 'unit-quota-exceeded',
      details: { maxUnitsPerCustomer: 10, windowMinutes: WINDOW_MINUTES, heldUnits: 10, units: 1 },
    });
    expect(await ordersOf(userId)).toEqual([
      { status: 'confirmed', units: 6 },
      { status: 'confirmed', units: 4 },
    ]);
    expect(await stack.stockOf(product.id)).toBe(40);
  });

  it('does not remember a refused order: a retry with the same key is judged again', async () => {
    const product = await stack.createProduct({ stock: 50 });
    const { token } = await stack.tokens.customer();
    const held = await stack.placeOrder(token, [line(product.id, 6)]);
    const key = `refused-${randomUUID()}`;

    const refused = await stack.placeOrder(token, [line(product.id, 5)], key);
    await stack.cancelOrder(token, held.body.id);
    const retried = await stack.placeOrder(token, [line(product.id, 5)], key);

    expect(refused.status).toBe(409);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('frees the units of a cancelled order', async () => {
    const product = await stack.createProduct({ stock: 50 });
    const { token } = await stack.tokens.customer();
    const six = await stack.placeOrder(token, [line(product.id, 6)]);
    const four = await stack.placeOrder(token, [line(product.id, 4)]);

    const whileFull = await stack.placeOrder(token, [line(product.id, 1)]);
    const cancelled = await stack.cancelOrder(token, six.body.id);
    const afterCancel = await stack.placeOrder(token, [line(product.id, 6)]);
    const fullAgain = await stack.placeOrder(token, [line(product.id, 1)]);

    expect([six.status, four.status, whileFull.status, cancelled.status]).toEqual([201, 201, 409, 200]);
    expect([afterCancel.status, fullAgain.status]).toEqual([201, 409]);
    await expectStockAccountedFor(stack, product.id, 50);
  });

  it('frees the units of an order catalog rejected', async () => {
    const scarce = await stack.createProduct({ stock: 2 });
    const plenty = await stack.createProduct({ stock: 50 });
    const { userId, token } = await stack.tokens.customer();

    const rejected = await stack.placeOrder(token, [line(scarce.id, 5)]);
    const six = await stack.placeOrder(token, [line(plenty.id, 6)]);
    const four = await stack.placeOrder(token, [line(plenty.id, 4)]);

    expect([rejected.status, problem(rejected).code]).toEqual([409, 'insufficient-stock']);
    expect([six.status, four.status]).toEqual([201, 201]);
    expect((await ordersOf(userId)).map((order) => order.status)).toEqual(['rejected', 'confirmed', 'confirmed']);
  });

  it('counts only the orders placed within the rolling window', async () => {
    const product = await stack.createProduct({ stock: 50 });
    const { userId, token } = await stack.tokens.customer();
    await stack.placeOrder(token, [line(product.id, 6)]);
    await stack.placeOrder(token, [line(product.id, 4)]);
    expect((await stack.placeOrder(token, [line(product.id, 1)])).status).toBe(409);

    // What the passing of the window looks like to the database, without waiting for it.
    await stack.query(
      `UPDATE orders SET created_at = created_at - $2::integer * interval '1 minute' - interval '1 second'
       WHERE user_id = $1`,
      [userId, WINDOW_MINUTES],
    );

    expect((await stack.placeOrder(token, [line(product.id, 6)])).status).toBe(201);
  });

  it('bounds each customer on their own', async () => {
    const product = await stack.createProduct({ stock: 50 });
    const alice = await stack.tokens.customer();
    const bob = await stack.tokens.customer();
    await stack.placeOrder(alice.token, [line(product.id, 6)]);
    await stack.placeOrder(alice.token, [line(product.id, 4)]);

    const bobsOrders = [
      await stack.placeOrder(bob.token, [line(product.id, 6)]),
      await stack.placeOrder(bob.token, [line(product.id, 4)]),
    ];

    expect(bobsOrders.map((answer) => answer.status)).toEqual([201, 201]);
  });

  it('exempts admins from both bounds', async () => {
    const product = await stack.createProduct({ stock: 50 });
    const admin = await stack.tokens.admin();

    const large = await stack.placeOrder(admin.token, [line(product.id, 8)]);
    const more = await stack.placeOrder(admin.token, [line(product.id, 8)]);

    expect([large.status, more.status]).toEqual([201, 201]);
    expect(await stack.stockOf(product.id)).toBe(34);
  });
});
