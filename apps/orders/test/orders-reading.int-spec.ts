import { randomUUID } from 'node:crypto';
import { OrderResponse, Page } from '@app/contracts';
import { httpCall, HttpResult, OrdersStack } from '@test/support/orders-stack';

type Problem = { code: string; errors?: Array<{ field: string }> };

const code = (answer: HttpResult<unknown>): string | undefined => (answer.body as Problem).code;

describe('reading orders, and who may touch which (IDOR)', () => {
  let stack: OrdersStack;

  beforeAll(async () => {
    stack = await new OrdersStack('read').start({ ordersReplicas: 2 });
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  const list = (token: string, query = '') =>
    httpCall<Page<OrderResponse>>(`${stack.url}/v1/orders${query}`, { token });

  const placeMany = async (token: string, count: number): Promise<OrderResponse[]> => {
    const product = await stack.createProduct({ stock: 1000 });
    const placed: OrderResponse[] = [];
    for (let i = 0; i < count; i++) {
      const answer = await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }]);
      placed.push(answer.body);
    }
    return placed;
  };

  /** Follows nextCursor to the end; answers every page. */
  const allPages = async (token: string, query: string): Promise<Array<Page<OrderResponse>>> => {
    const pages: Array<Page<OrderResponse>> = [];
    let cursor: string | null = null;
    do {
      const separator = query ? '&' : '?';
      const answer = await list(token, `${query}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(answer.status).toBe(200);
      pages.push(answer.body);
      cursor = answer.body.nextCursor;
    } while (cursor);
    return pages;
  };

  describe('GET /v1/orders/:id', () => {
    it('shows the owner its order and an admin any order; another customer gets 404 as for a missing order', async () => {
      const alice = await stack.tokens.customer();
      const mallory = await stack.tokens.customer();
      const admin = await stack.tokens.admin();
      const [order] = await placeMany(alice.token, 1);

      const own = await stack.getOrder(alice.token, order.id);
      const byAdmin = await stack.getOrder(admin.token, order.id);
      const byOther = await stack.getOrder(mallory.token, order.id);
      const missing = await stack.getOrder(mallory.token, randomUUID());

      expect(own.status).toBe(200);
      expect(own.body).toEqual(order);
      expect(byAdmin.body).toEqual(order);
      expect(byOther.status).toBe(404);
      expect({ ...(byOther.body as object), requestId: 0, detail: 0 }).toEqual({
        ...(missing.body as object),
        requestId: 0,
        detail: 0,
      });
      expect(code(byOther)).toBe('not-found');
    });

    it.each(['not-a-uuid', '123', "1' OR '1'='1"])('answers 400 for the malformed id %j', async (id) => {
      const { token } = await stack.tokens.customer();

      const read = await stack.getOrder(token, encodeURIComponent(id));
      const cancel = await stack.cancelOrder(token, encodeURIComponent(id));

      expect([read.status, code(read)]).toEqual([400, 'validation-error']);
      expect([cancel.status, code(cancel)]).toEqual([400, 'validation-error']);
    });
  });

  describe('POST /v1/orders/:id/cancel', () => {
    it('refuses another customer with 404 and leaves the order and its stock alone; an admin may cancel it', async () => {
      const alice = await stack.tokens.customer();
      const mallory = await stack.tokens.customer();
      const admin = await stack.tokens.admin();
      const product = await stack.createProduct({ stock: 10 });
      const order = (await stack.placeOrder(alice.token, [{ productId: product.id, quantity: 4 }])).body;

      const byOther = await stack.cancelOrder(mallory.token, order.id);
      const stateAfterOther = await stack.orderRow(order.id);
      const stockAfterOther = await stack.stockOf(product.id);
      const byAdmin = await stack.cancelOrder(admin.token, order.id);

      expect([byOther.status, code(byOther)]).toEqual([404, 'not-found']);
      expect(stateAfterOther?.status).toBe('confirmed');
      expect(stockAfterOther).toBe(6);
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body).toMatchObject({ id: order.id, userId: alice.userId, status: 'cancelled' });
      expect(await stack.stockOf(product.id)).toBe(10);
    });
  });

  describe('POST /v1/orders/:id/cancel with a body', () => {
    it('refuses any field with 400 (the route takes none), and changes nothing', async () => {
      const { token } = await stack.tokens.customer();
      const product = await stack.createProduct({ stock: 10 });
      const order = (await stack.placeOrder(token, [{ productId: product.id, quantity: 1 }])).body;

      const sut = await httpCall(`${stack.url}/v1/orders/${order.id}/cancel`, { token, body: { status: 'cancelled' } });
      const empty = await httpCall(`${stack.url}/v1/orders/${order.id}/cancel`, { token, body: {} });

      expect([sut.status, code(sut)]).toEqual([400, 'validation-error']);
      expect((sut.body as Problem).errors?.map((error) => error.field)).toEqual(['status']);
      expect(empty.status).toBe(200);
    });
  });

  describe('POST /v1/orders', () => {
    it('always places the order for the caller: a userId in the body is refused (no mass assignment)', async () => {
      const alice = await stack.tokens.customer();
      const mallory = await stack.tokens.customer();
      const product = await stack.createProduct({ stock: 10 });

      const forged = await httpCall(`${stack.url}/v1/orders`, {
        token: mallory.token,
        body: { userId: alice.userId, items: [{ productId: product.id, quantity: 1 }] },
      });
      const placed = await stack.placeOrder(mallory.token, [{ productId: product.id, quantity: 1 }]);

      expect([forged.status, code(forged)]).toEqual([400, 'validation-error']);
      expect(placed.body.userId).toBe(mallory.userId);
      expect((await list(alice.token)).body.items).toEqual([]);
    });
  });

  describe('every route without a valid token', () => {
    it.each([
      ['POST', '/v1/orders'],
      ['GET', '/v1/orders'],
      ['GET', `/v1/orders/${randomUUID()}`],
      ['POST', `/v1/orders/${randomUUID()}/cancel`],
    ])('answers 401 to %s %s, with no token and with an expired one', async (method, path) => {
      const expired = await stack.tokens.accessToken({ role: 'customer', ttlSeconds: -60 });

      for (const token of [undefined, expired]) {
        const answer = await httpCall(`${stack.url}${path}`, {
          method,
          token,
          ...(method === 'POST' ? { body: { items: [{ productId: randomUUID(), quantity: 1 }] } } : {}),
        });
        expect([answer.status, code(answer)]).toEqual([401, 'unauthorized']);
      }
    });
  });

  describe('GET /v1/orders', () => {
    it('lists the caller’s own orders, newest first, a page at a time, each exactly once', async () => {
      const { token } = await stack.tokens.customer();
      const other = await stack.tokens.customer();
      const mine = await placeMany(token, 25);
      await placeMany(other.token, 3);

      const pages = await allPages(token, '?limit=10');

      expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5]);
      expect(pages.flatMap((page) => page.items.map((order) => order.id))).toEqual(mine.map((o) => o.id).reverse());
      expect(pages.at(-1)?.nextCursor).toBeNull();
    });

    it('stays stable while orders are placed between pages: nothing repeated, nothing skipped', async () => {
      const { token } = await stack.tokens.customer();
      const before = await placeMany(token, 6);

      const first = await list(token, '?limit=3');
      const placedMeanwhile = await placeMany(token, 4);
      const rest = await allPages(token, `?limit=3&cursor=${encodeURIComponent(first.body.nextCursor!)}`);

      const seen = [...first.body.items, ...rest.flatMap((page) => page.items)].map((order) => order.id);
      expect(seen).toEqual(before.map((order) => order.id).reverse());
      expect(seen).not.toEqual(expect.arrayContaining([placedMeanwhile[0].id]));
    });

    it('shows an admin every order, or one user’s with userId; a customer may not name another user (403)', async () => {
      const alice = await stack.tokens.customer();
      const bob = await stack.tokens.customer();
      const admin = await stack.tokens.admin();
      const alices = await placeMany(alice.token, 2);
      const bobs = await placeMany(bob.token, 2);

      const all = await allPages(admin.token, '?limit=100');
      const filtered = await list(admin.token, `?userId=${bob.userId}`);
      const selfFilter = await list(alice.token, `?userId=${alice.userId}`);
      const snooping = await list(alice.token, `?userId=${bob.userId}`);

      const allIds = all.flatMap((page) => page.items.map((order) => order.id));
      expect(allIds).toEqual(expect.arrayContaining([...alices, ...bobs].map((order) => order.id)));
      expect(filtered.body.items.map((order) => order.id)).toEqual(bobs.map((order) => order.id).reverse());
      expect(selfFilter.body.items.map((order) => order.id)).toEqual(alices.map((order) => order.id).reverse());
      expect([snooping.status, code(snooping)]).toEqual([403, 'forbidden']);
    });

    it('refuses a tampered cursor, and a cursor of another user’s list, with 400', async () => {
      const alice = await stack.tokens.customer();
      const bob = await stack.tokens.customer();
      const admin = await stack.tokens.admin();
      await placeMany(alice.token, 3);
      await placeMany(bob.token, 3);
      const cursor = (await list(alice.token, '?limit=1')).body.nextCursor!;
      const [body, signature] = cursor.split('.');
      const forgedBody = Buffer.from(JSON.stringify([1, 'x', '2999-01-01T00:00:00.000Z', randomUUID()])).toString(
        'base64url',
      );

      const answers = await Promise.all([
        list(alice.token, `?cursor=${forgedBody}.${signature}`),
        list(alice.token, `?cursor=${body}.${signature.slice(0, -2)}AA`),
        list(alice.token, '?cursor=garbage'),
        list(bob.token, `?cursor=${encodeURIComponent(cursor)}`),
        list(admin.token, `?cursor=${encodeURIComponent(cursor)}`),
      ]);

      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect((answer.body as unknown as Problem).errors?.map((error) => error.field)).toEqual(['cursor']);
      }
      expect((await list(admin.token, `?userId=${alice.userId}&cursor=${encodeURIComponent(cursor)}`)).status).toBe(
        200,
      );
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=ten', 'limit'],
      ['userId=someone', 'userId'],
      ['status=confirmed', 'status'],
    ])('answers 400 for ?%s', async (query, field) => {
      const { token } = await stack.tokens.admin();

      const answer = await list(token, `?${query}`);

      expect(answer.status).toBe(400);
      expect((answer.body as unknown as Problem).errors?.map((error) => error.field)).toContain(field);
    });
  });
});
