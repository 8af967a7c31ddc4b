import Fastify, { FastifyInstance } from 'fastify';
import { useNoStoreOnPrivateAnswers } from './no-store';

const ID = '3f1c6a52-8f0e-4a4e-9d7e-2b9b1f6f8c11';

/** Routes shaped like the gateway's, with the caching headers their real counterparts set. */
async function gatewayLike(): Promise<FastifyInstance> {
  const sut = Fastify({ logger: false });
  useNoStoreOnPrivateAnswers(sut);
  // Answers before routing, as the rate limiter does.
  sut.addHook('onRequest', (request, reply, done) => {
    if (request.headers['x-test-limit'] !== undefined) {
      void reply.status(429).send({ code: 'rate-limited' });
      return;
    }
    done();
  });
  sut.post('/v1/auth/login', () => ({ accessToken: 'token' }));
  sut.get('/v1/orders/:id', (_request, reply) => reply.status(404).send({ code: 'not-found' }));
  sut.get('/v1/products/:id', () => ({ id: ID }));
  sut.get('/.well-known/jwks.json', (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send({ keys: [] }),
  );
  await sut.ready();
  return sut;
}

describe(useNoStoreOnPrivateAnswers.name, () => {
  let sut: FastifyInstance;

  beforeAll(async () => {
    sut = await gatewayLike();
  });

  afterAll(async () => {
    await sut.close();
  });

  const cacheControlOf = async (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}) =>
    (await sut.inject({ method, url, headers })).headers['cache-control'];

  it.each([
    ['the token route without credentials', 'POST', '/v1/auth/login', {}],
    ['a 404 of an order route without credentials', 'GET', `/v1/orders/${ID}`, {}],
    ['an unmatched path under the order routes', 'GET', '/v1/orders/a/b/c', {}],
    ['an order route with a query string', 'GET', `/v1/orders/${ID}?x=1`, {}],
    ['a private route reached through percent-encoding', 'POST', '/v1/%61uth/login', {}],
    ['an answer a hook sent before routing', 'GET', `/v1/orders/${ID}`, { 'x-test-limit': '1' }],
    ['a public read that carried credentials', 'GET', `/v1/products/${ID}`, { authorization: 'Bearer x' }],
    [
      'a route that sets its own caching, asked with credentials',
      'GET',
      '/.well-known/jwks.json',
      {
        authorization: 'Bearer x',
      },
    ],
  ] as const)('marks %s no-store', async (_case, method, url, headers) => {
    expect(await cacheControlOf(method, url, headers)).toBe('no-store');
  });

  it('leaves public reads without credentials as their route answers them', async () => {
    expect(await cacheControlOf('GET', `/v1/products/${ID}`)).toBeUndefined();
    expect(await cacheControlOf('GET', '/.well-known/jwks.json')).toBe('public, max-age=300');
  });

  it('does not take a lookalike path for a private one', async () => {
    expect(await cacheControlOf('GET', '/v1/ordersx')).toBeUndefined();
  });
});
