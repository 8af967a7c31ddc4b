import { randomUUID } from 'node:crypto';
import { Problem, Schemas } from '@app/api-client';
import { OrderResponse, ORDERS_EVENTS } from '@app/contracts';
import { bearer } from '@test/support/auth-tokens';
import { expectEventually } from '@test/support/expect-eventually';
import { HttpResult, seen } from '@test/support/gateway-api';
import { deadlocksIn } from '@test/support/log-capture';
import { E2E_RECOVERY_DEADLINE_MS, OrdersProcessStack } from '@test/support/orders-processes';
import { isRetryable, readStream } from '@test/support/orders-stack';

const code = (answer: HttpResult<unknown>): string | undefined => (answer.body as Problem).code;

/** `POST /v1/orders` through the typed client, with an Idempotency-Key. */
function placeOrder(stack: OrdersProcessStack, token: string, items: Schemas['OrderLineRequest'][], key: string) {
  return seen(
    stack.api.POST('/v1/orders', {
      params: { header: { 'Idempotency-Key': key } },
      headers: bearer(token),
      body: { items },
    }),
  );
}

/** Checks, from both databases and the ORDERS stream, that nothing was lost, stranded or doubled. */
async function expectSettledAndConsistent(stack: OrdersProcessStack, productId: string, initialStock: number) {
  await expectEventually(async () => {
    const pending = await stack.ordersQuery(`SELECT id FROM orders WHERE status = 'pending'`);
    expect(pending).toEqual([]);
  }, E2E_RECOVERY_DEADLINE_MS);
  // The clients retried 503s, which is also what a deadlock looks like from outside: none may hide there.
  expect([...stack.catalogs, ...stack.orders].flatMap((replica) => deadlocksIn(replica.lines))).toEqual([]);
  const orders = await stack.ordersQuery<{ id: string; status: string; quantity: number }>(
    `SELECT id, status, (requested->0->>'quantity')::int AS quantity FROM orders WHERE requested->0->>'productId' = $1`,
    [productId],
  );
  const reservations = await stack.catalogQuery<{ order_id: string; status: string }>(
    `SELECT order_id, status FROM reservations WHERE requested @> $1::jsonb OR status = 'released'`,
    [JSON.stringify([{ productId }])],
  );
  const reservationOf = new Map(reservations.map((row) => [row.order_id, row.status]));
  const held = orders.filter((order) => order.status === 'confirmed');
  // Stock conservation: what is gone from the shelf is exactly what confirmed orders hold.
  expect(await stack.stockOf(productId)).toBe(initialStock - held.reduce((total, order) => total + order.quantity, 0));
  // Nothing stranded: stock is held for an order if and only if it is confirmed.
  for (const order of orders) {
    expect([order.id, order.status, reservationOf.get(order.id) === 'reserved']).toEqual([
      order.id,
      order.status,
      order.status === 'confirmed',
    ]);
  }
  await expectEventually(async () => {
    const events = (await readStream<OrderResponse>(stack.nats, 'ORDERS')).filter(
      (event) => event.type === ORDERS_EVENTS.CONFIRMED && event.data.items[0]?.productId === productId,
    );
    expect(events.map((event) => event.data.id).sort()).toEqual(held.map((order) => order.id).sort());
  });
  return orders;
}

/** A client that retries with the same Idempotency-Key until it gets a final answer. */
async function placeUntilFinal(stack: OrdersProcessStack, token: string, productId: string, key: string, quantity = 1) {
  return expectEventually(
    async () => {
      const answer = await placeOrder(stack, token, [{ productId, quantity }], key);
      expect([isRetryable(answer), answer.status, answer.body]).toEqual([false, answer.status, answer.body]);
      return answer;
    },
    E2E_RECOVERY_DEADLINE_MS,
    250,
  );
}

describe('orders through real processes', () => {
  describe('two replicas of each service', () => {
    let stack: OrdersProcessStack;

    beforeAll(async () => {
      stack = await new OrdersProcessStack('e2eord').start({ catalogs: 2, orders: 2 });
    });

    afterAll(async () => {
      await stack?.dispose();
    });

    it('places, reads, lists and cancels an order through the gateway', async () => {
      const product = await stack.createProduct({ stock: 5, priceCents: 1250 });
      const { token } = await stack.tokens.customer();

      const placed = await placeOrder(stack, token, [{ productId: product.id, quantity: 2 }], 'e2e-1');
      const replay = await placeOrder(stack, token, [{ productId: product.id, quantity: 2 }], 'e2e-1');
      const byId = { params: { path: { id: placed.body.id } }, headers: bearer(token) };
      const read = await seen(stack.api.GET('/v1/orders/{id}', byId));
      const listed = await seen(stack.api.GET('/v1/orders', { headers: bearer(token) }));
      const cancelled = await seen(stack.api.POST('/v1/orders/{id}/cancel', byId));

      expect(placed.status).toBe(201);
      expect(placed.body).toMatchObject({ status: 'confirmed', totalCents: 2500, currency: 'USD' });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(placed.body);
      expect(read.body).toEqual(placed.body);
      expect(listed.body).toEqual({ items: [placed.body], nextCursor: null });
      expect(cancelled.body.status).toBe('cancelled');
      await expectEventually(async () => expect(await stack.stockOf(product.id)).toBe(5));
    });

    it('documents the order routes in OpenAPI, with examples and error responses', async () => {
      // /docs is not an API route (the document does not describe itself): plain fetch.
      const document = (await (await fetch(`${stack.url}/docs/openapi.json`)).json()) as {
        paths: Record<
          string,
          Record<string, { responses: Record<string, unknown>; parameters?: Array<{ name: string }> }>
        >;
      };

      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/v1/orders', '/v1/orders/{id}', '/v1/orders/{id}/cancel']),
      );
      const place = document.paths['/v1/orders'].post;
      expect(Object.keys(place.responses)).toEqual(
        expect.arrayContaining(['201', '400', '401', '409', '422', '503', '504']),
      );
      expect(place.parameters?.map((parameter) => parameter.name)).toContain('Idempotency-Key');
      expect(JSON.stringify(place.responses['409'])).toContain('idempotency-key-in-use');
      expect(JSON.stringify(place.responses['422'])).toContain('idempotency-key-reused');
    });

    it('settles every order of a burst during which a catalog replica is killed with SIGKILL', async () => {
      const product = await stack.createProduct({ stock: 30 });
      const users = await Promise.all([1, 2, 3, 4].map(() => stack.tokens.customer()));
      const keys = Array.from({ length: 40 }, (_, i) => `burst-${i}-${randomUUID()}`);

      const firstAnswers = Promise.all(
        keys.map((key, i) => placeOrder(stack, users[i % 4].token, [{ productId: product.id, quantity: 1 }], key)),
      );
      await expectEventually(
        async () => {
          const [{ n }] = await stack.ordersQuery<{ n: string }>(
            `SELECT count(*) AS n FROM orders WHERE status = 'confirmed'
          AND requested->0->>'productId' = $1`,
            [product.id],
          );
          expect(Number(n)).toBeGreaterThanOrEqual(3);
        },
        20_000,
        10,
      );
      await stack.catalogs[0].stop('SIGKILL');
      const first = await firstAnswers;
      await stack.startCatalog();
      const finals = await Promise.all(
        keys.map((key, i) => placeUntilFinal(stack, users[i % 4].token, product.id, key)),
      );

      expect(first.every((answer) => [201, 409, 503, 504].includes(answer.status))).toBe(true);
      const orders = await expectSettledAndConsistent(stack, product.id, 30);
      expect(orders).toHaveLength(40);
      for (const answer of [...first, ...finals].filter((a) => a.status === 201)) {
        expect(orders.find((order) => order.id === answer.body.id)?.status).toBe('confirmed');
      }
      for (const answer of finals.filter((a) => a.status !== 201)) {
        expect([answer.status, code(answer)]).toEqual(
          answer.status === 409 ? [409, 'insufficient-stock'] : [504, 'upstream-timeout'],
        );
      }
    });
  });

  describe('one replica of each, killed with SIGKILL mid-saga', () => {
    let stack: OrdersProcessStack;

    beforeAll(async () => {
      stack = await new OrdersProcessStack('e2ekill').start({ catalogs: 1, orders: 1 });
    });

    afterAll(async () => {
      await stack?.dispose();
    });

    it('leaves its pending orders to another replica’s recovery worker, which finishes them', async () => {
      const product = await stack.createProduct({ stock: 20 });
      const { token } = await stack.tokens.customer();
      const keys = Array.from({ length: 8 }, (_, i) => `killed-${i}`);
      // Catalog freezes: the only orders replica has persisted the orders and waits for the reserves.
      stack.catalogs[0].signal('SIGSTOP');
      const inFlight = Promise.all(
        keys.map((key) => placeOrder(stack, token, [{ productId: product.id, quantity: 2 }], key)),
      );
      await expectEventually(async () => {
        expect(await stack.ordersQuery(`SELECT id FROM orders WHERE status = 'pending'`)).toHaveLength(8);
      });

      await stack.orders[0].stop('SIGKILL');
      await stack.startOrders();
      stack.catalogs[0].signal('SIGCONT');
      const answers = await inFlight;

      expect(answers.map((answer) => answer.status).every((status) => status === 504 || status === 503)).toBe(true);
      const orders = await expectSettledAndConsistent(stack, product.id, 20);
      expect(orders).toHaveLength(8);
      const attempts = await stack.ordersQuery<{ attempts: number }>(
        `SELECT recovery_attempts AS attempts FROM orders WHERE requested->0->>'productId' = $1`,
        [product.id],
      );
      expect(attempts.every((row) => row.attempts >= 1)).toBe(true);
      const retried = await Promise.all(keys.map((key) => placeUntilFinal(stack, token, product.id, key, 2)));
      for (const answer of retried) {
        expect(answer.headers.get('idempotent-replayed')).toBe('true');
        const order = orders.find((row) => row.id === answer.body.id);
        if (answer.status === 201) {
          expect(order?.status).toBe('confirmed');
        } else {
          expect([answer.status, code(answer)]).toEqual([504, 'upstream-timeout']);
        }
      }
      const [{ n }] = await stack.ordersQuery<{ n: string }>('SELECT count(*) AS n FROM idempotency_keys');
      expect(Number(n)).toBe(8);
    });

    it('settles the orders a catalog replica was holding when it was killed, and strands no stock', async () => {
      const product = await stack.createProduct({ stock: 10 });
      const { token } = await stack.tokens.customer();
      const keys = Array.from({ length: 6 }, (_, i) => `catalog-killed-${i}`);
      stack.catalogs[0].signal('SIGSTOP');
      const answers = await Promise.all(
        keys.map((key) => placeOrder(stack, token, [{ productId: product.id, quantity: 1 }], key)),
      );

      await stack.catalogs[0].stop('SIGKILL');
      await stack.startCatalog();

      expect(answers.map((answer) => [answer.status, code(answer)])).toEqual(keys.map(() => [504, 'upstream-timeout']));
      const orders = await expectSettledAndConsistent(stack, product.id, 10);
      expect(orders).toHaveLength(6);
      const retried = await Promise.all(keys.map((key) => placeUntilFinal(stack, token, product.id, key)));
      for (const answer of retried) {
        const order = orders.find((row) => row.id === answer.body.id);
        expect(answer.status === 201 ? order?.status : code(answer)).toBe(
          answer.status === 201 ? 'confirmed' : 'upstream-timeout',
        );
      }
    });

    it('exits 0 on SIGTERM, recovery worker included', async () => {
      const exits = await Promise.all(stack.orders.filter((p) => p.pid).map((p) => p.stop('SIGTERM')));

      expect(exits.at(-1)).toEqual({ code: 0, signal: null });
    });
  });
});
