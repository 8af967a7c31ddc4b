import { randomUUID } from 'node:crypto';
import { BazaarClient } from '@app/api-client';
import { bearer, LoggedInUser, registerAndLogin } from '@test/support/auth-tokens';
import { gatewayApi } from '@test/support/gateway-api';
import { FullStack } from '@test/support/full-stack';

interface Exchange {
  status: number;
  cacheControl: string | null;
  body: Record<string, unknown> | undefined;
}

/** One call through the typed client, answered with what a cache would look at. */
interface Case {
  name: string;
  call: () => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  status: number;
}

async function send(call: Case['call']): Promise<Exchange> {
  const { data, error, response } = await call();
  const body = (data ?? error) as Record<string, unknown> | undefined;
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body };
}

/**
 * Issue #12, finding 1: every answer that carries tokens or personal data, or answers a request
 * that carried credentials, is `Cache-Control: no-store`, errors included; public catalog reads
 * keep their caching headers (none, or the JWKS's `public, max-age=300`).
 */
describe('Cache-Control of the gateway’s answers (real processes)', () => {
  let stack: FullStack;
  let api: BazaarClient;
  let customer: LoggedInUser;
  let otherCustomer: string;
  let admin: string;
  let productId: string;
  let orderId: string;

  const order = (id: string) => ({ params: { path: { id } } });

  beforeAll(async () => {
    stack = await FullStack.start('cachectl');
    api = gatewayApi(stack.url);
    customer = await registerAndLogin(stack.url);
    otherCustomer = await stack.tokens.customerToken();
    admin = await stack.tokens.adminToken();
    const product = await api.POST('/v1/products', {
      headers: bearer(admin),
      body: { sku: `CC-${randomUUID()}`, name: 'Mug', priceCents: 100, stock: 50 },
    });
    productId = product.data!.id;
    const placed = await api.POST('/v1/orders', {
      headers: bearer(customer.accessToken),
      body: { items: [{ productId, quantity: 1 }] },
    });
    orderId = placed.data!.id;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const privateCases = (): Case[] => [
    {
      name: 'register (the new user)',
      call: () =>
        api.POST('/v1/auth/register', {
          body: { email: `cc-${randomUUID()}@example.test`, password: 'a-long-password' },
        }),
      status: 201,
    },
    {
      name: 'login (tokens)',
      call: () => api.POST('/v1/auth/login', { body: { email: customer.email, password: customer.password } }),
      status: 200,
    },
    {
      name: 'login refused',
      call: () => api.POST('/v1/auth/login', { body: { email: customer.email, password: 'wrong-password' } }),
      status: 401,
    },
    { name: 'me', call: () => api.GET('/v1/auth/me', { headers: bearer(customer.accessToken) }), status: 200 },
    { name: 'me without a token', call: () => api.GET('/v1/auth/me'), status: 401 },
    {
      name: 'place an order',
      call: () =>
        api.POST('/v1/orders', {
          headers: bearer(customer.accessToken),
          body: { items: [{ productId, quantity: 1 }] },
        }),
      status: 201,
    },
    {
      name: 'place an order without a token',
      call: () => api.POST('/v1/orders', { body: { items: [{ productId, quantity: 1 }] } }),
      status: 401,
    },
    {
      name: 'place an invalid order',
      call: () => api.POST('/v1/orders', { headers: bearer(customer.accessToken), body: { items: [] } }),
      status: 400,
    },
    {
      name: 'list my orders',
      call: () => api.GET('/v1/orders', { headers: bearer(customer.accessToken) }),
      status: 200,
    },
    {
      name: 'list another user’s orders',
      call: () =>
        api.GET('/v1/orders', { params: { query: { userId: randomUUID() } }, headers: bearer(customer.accessToken) }),
      status: 403,
    },
    {
      name: 'read my order',
      call: () => api.GET('/v1/orders/{id}', { ...order(orderId), headers: bearer(customer.accessToken) }),
      status: 200,
    },
    {
      name: 'read another’s order',
      call: () => api.GET('/v1/orders/{id}', { ...order(orderId), headers: bearer(otherCustomer) }),
      status: 404,
    },
    { name: 'read an order without a token', call: () => api.GET('/v1/orders/{id}', order(orderId)), status: 401 },
    {
      name: 'cancel another’s order',
      call: () => api.POST('/v1/orders/{id}/cancel', { ...order(orderId), headers: bearer(otherCustomer) }),
      status: 404,
    },
    {
      name: 'create a product (admin)',
      call: () =>
        api.POST('/v1/products', {
          headers: bearer(admin),
          body: { sku: `CC-${randomUUID()}`, name: 'Plate', priceCents: 100 },
        }),
      status: 201,
    },
    {
      name: 'update a product (admin)',
      call: () =>
        api.PATCH('/v1/products/{id}', {
          params: { path: { id: productId } },
          headers: bearer(admin),
          body: { name: 'Big mug' },
        }),
      status: 200,
    },
    {
      name: 'update a product as a customer',
      call: () =>
        api.PATCH('/v1/products/{id}', {
          params: { path: { id: productId } },
          headers: bearer(customer.accessToken),
          body: { name: 'x' },
        }),
      status: 403,
    },
    {
      name: 'read a product with credentials',
      call: () =>
        api.GET('/v1/products/{id}', { params: { path: { id: productId } }, headers: bearer(customer.accessToken) }),
      status: 200,
    },
  ];

  it('marks every private answer no-store, errors included', async () => {
    const cases = privateCases();
    const seen = [];
    for (const { name, call } of cases) {
      const answer = await send(call);
      seen.push({ name, status: answer.status, cacheControl: answer.cacheControl });
    }

    expect(seen).toEqual(cases.map(({ name, status }) => ({ name, status, cacheControl: 'no-store' })));
  });

  it('marks the refresh, logout and cancel of a session and an order no-store', async () => {
    const session = await registerAndLogin(stack.url);
    const refreshed = await send(() => api.POST('/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }));
    const refreshToken = refreshed.body!.refreshToken as string;
    const loggedOut = await send(() => api.POST('/v1/auth/logout', { body: { refreshToken } }));
    const cancelled = await send(() =>
      api.POST('/v1/orders/{id}/cancel', { ...order(orderId), headers: bearer(customer.accessToken) }),
    );

    expect([refreshed, loggedOut, cancelled].map(({ status, cacheControl }) => ({ status, cacheControl }))).toEqual([
      { status: 200, cacheControl: 'no-store' },
      { status: 204, cacheControl: 'no-store' },
      { status: 200, cacheControl: 'no-store' },
    ]);
  });

  it('leaves the public reads’ caching headers as they were', async () => {
    const answers = {
      list: await send(() => api.GET('/v1/products')),
      product: await send(() => api.GET('/v1/products/{id}', { params: { path: { id: productId } } })),
      missing: await send(() => api.GET('/v1/products/{id}', { params: { path: { id: randomUUID() } } })),
      jwks: await send(() => api.GET('/.well-known/jwks.json')),
    };

    expect(Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, [a.status, a.cacheControl]]))).toEqual({
      list: [200, null],
      product: [200, null],
      missing: [404, null],
      jwks: [200, 'public, max-age=300'],
    });
  });
});
