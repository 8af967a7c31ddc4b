import { randomUUID } from 'node:crypto';
import { bearer, LoggedInUser, registerAndLogin } from '@test/support/auth-tokens';
import { FullStack } from '@test/support/full-stack';

interface Exchange {
  status: number;
  cacheControl: string | null;
  body: Record<string, unknown> | undefined;
}

/** One request through the gateway, answered with what a cache would look at. */
interface Case {
  name: string;
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  token?: string;
  body?: unknown;
  status: number;
}

/**
 * Issue #12, finding 1: every answer that carries tokens or personal data, or answers a request
 * that carried credentials, is `Cache-Control: no-store`, errors included; public catalog reads
 * keep their caching headers (none, or the JWKS's `public, max-age=300`).
 */
describe('Cache-Control of the gateway’s answers (real processes)', () => {
  let stack: FullStack;
  let customer: LoggedInUser;
  let otherCustomer: string;
  let admin: string;
  let productId: string;
  let orderId: string;

  const send = async ({ method, path, token, body }: Omit<Case, 'name' | 'status'>): Promise<Exchange> => {
    const response = await fetch(`${stack.url}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? bearer(token) : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    return { status: response.status, cacheControl: response.headers.get('cache-control'), body: parsed };
  };

  beforeAll(async () => {
    stack = await FullStack.start('cachectl');
    customer = await registerAndLogin(stack.url);
    otherCustomer = await stack.tokens.customerToken();
    admin = await stack.tokens.adminToken();
    const product = await send({
      path: '/v1/products',
      token: admin,
      body: { sku: `CC-${randomUUID()}`, name: 'Mug', priceCents: 100, stock: 50 },
    });
    productId = product.body!.id as string;
    const order = await send({
      path: '/v1/orders',
      token: customer.accessToken,
      body: { items: [{ productId, quantity: 1 }] },
    });
    orderId = order.body!.id as string;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const privateCases = (): Case[] => [
    {
      name: 'register (the new user)',
      path: '/v1/auth/register',
      body: { email: `cc-${randomUUID()}@example.test`, password: 'a-long-password' },
      status: 201,
    },
    {
      name: 'login (tokens)',
      path: '/v1/auth/login',
      body: { email: customer.email, password: customer.password },
      status: 200,
    },
    {
      name: 'login refused',
      path: '/v1/auth/login',
      body: { email: customer.email, password: 'wrong-password' },
      status: 401,
    },
    { name: 'me', path: '/v1/auth/me', token: customer.accessToken, status: 200 },
    { name: 'me without a token', path: '/v1/auth/me', status: 401 },
    {
      name: 'place an order',
      path: '/v1/orders',
      token: customer.accessToken,
      body: { items: [{ productId, quantity: 1 }] },
      status: 201,
    },
    {
      name: 'place an order without a token',
      path: '/v1/orders',
      body: { items: [{ productId, quantity: 1 }] },
      status: 401,
    },
    {
      name: 'place an invalid order',
      path: '/v1/orders',
      token: customer.accessToken,
      body: { items: [] },
      status: 400,
    },
    { name: 'list my orders', path: '/v1/orders', token: customer.accessToken, status: 200 },
    {
      name: 'list another user’s orders',
      path: `/v1/orders?userId=${randomUUID()}`,
      token: customer.accessToken,
      status: 403,
    },
    { name: 'read my order', path: `/v1/orders/${orderId}`, token: customer.accessToken, status: 200 },
    { name: 'read another’s order', path: `/v1/orders/${orderId}`, token: otherCustomer, status: 404 },
    { name: 'read an order without a token', path: `/v1/orders/${orderId}`, status: 401 },
    {
      name: 'cancel another’s order',
      method: 'POST',
      path: `/v1/orders/${orderId}/cancel`,
      token: otherCustomer,
      status: 404,
    },
    {
      name: 'create a product (admin)',
      path: '/v1/products',
      token: admin,
      body: { sku: `CC-${randomUUID()}`, name: 'Plate', priceCents: 100 },
      status: 201,
    },
    {
      name: 'update a product (admin)',
      method: 'PATCH',
      path: `/v1/products/${productId}`,
      token: admin,
      body: { name: 'Big mug' },
      status: 200,
    },
    {
      name: 'update a product as a customer',
      method: 'PATCH',
      path: `/v1/products/${productId}`,
      token: customer.accessToken,
      body: { name: 'x' },
      status: 403,
    },
    {
      name: 'read a product with credentials',
      path: `/v1/products/${productId}`,
      token: customer.accessToken,
      status: 200,
    },
  ];

  it('marks every private answer no-store, errors included', async () => {
    const cases = privateCases();
    const seen = [];
    for (const { name, status: _expected, ...request } of cases) {
      const answer = await send(request);
      seen.push({ name, status: answer.status, cacheControl: answer.cacheControl });
    }

    expect(seen).toEqual(cases.map(({ name, status }) => ({ name, status, cacheControl: 'no-store' })));
  });

  it('marks the refresh, logout and cancel of a session and an order no-store', async () => {
    const session = await registerAndLogin(stack.url);
    const refreshed = await send({ path: '/v1/auth/refresh', body: { refreshToken: session.refreshToken } });
    const loggedOut = await send({ path: '/v1/auth/logout', body: { refreshToken: refreshed.body!.refreshToken } });
    const cancelled = await send({ method: 'POST', path: `/v1/orders/${orderId}/cancel`, token: customer.accessToken });

    expect([refreshed, loggedOut, cancelled].map(({ status, cacheControl }) => ({ status, cacheControl }))).toEqual([
      { status: 200, cacheControl: 'no-store' },
      { status: 204, cacheControl: 'no-store' },
      { status: 200, cacheControl: 'no-store' },
    ]);
  });

  it('leaves the public reads’ caching headers as they were', async () => {
    const answers = {
      list: await send({ path: '/v1/products' }),
      product: await send({ path: `/v1/products/${productId}` }),
      missing: await send({ path: `/v1/products/${randomUUID()}` }),
      jwks: await send({ path: '/.well-known/jwks.json' }),
    };

    expect(Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, [a.status, a.cacheControl]]))).toEqual({
      list: [200, null],
      product: [200, null],
      missing: [404, null],
      jwks: [200, 'public, max-age=300'],
    });
  });
});
