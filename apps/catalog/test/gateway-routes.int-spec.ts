import { randomUUID } from 'node:crypto';
import { bearer, TestTokenIssuer } from '@test/support/auth-tokens';
import { CatalogStack, startCatalogStack, uniqueSku } from '@test/support/catalog-stack';
import { expectEventually } from '@test/support/expect-eventually';
import { InProcessGateway, startGatewayInProcess } from '@test/support/in-process';
import { queryDatabase } from '@test/support/test-database';

interface Answer {
  status: number;
  contentType: string | null;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
}

describe('catalog through the gateway (/v1/products)', () => {
  let catalog: CatalogStack;
  let gateway: InProcessGateway;
  let admin: Record<string, string>;
  let customer: Record<string, string>;

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const answer: Answer = {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: text ? JSON.parse(text) : undefined,
    };
    return answer;
  };
  const asAdmin = (method: string, path: string, body?: unknown) => call(method, path, body, admin);
  const newProduct = (overrides: Record<string, unknown> = {}) => ({
    sku: uniqueSku('GW'),
    name: 'Gateway mug',
    priceCents: 1500,
    ...overrides,
  });

  const expectValidationProblem = (answer: Answer, field: string) => {
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ type: 'about:blank', status: 400, code: 'validation-error' });
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  };

  beforeAll(async () => {
    catalog = await startCatalogStack('gwroutes');
    const tokens = await TestTokenIssuer.create();
    gateway = await startGatewayInProcess({
      ...catalog.nats.env('gateway'),
      RATE_LIMIT_RPM: '0',
      ...tokens.gatewayEnv(),
    });
    admin = bearer(await tokens.adminToken());
    customer = bearer(await tokens.customerToken());
    await expectEventually(async () => expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200));
  });

  afterAll(async () => {
    await gateway?.close();
    await catalog?.dispose();
  });

  describe('reading (public)', () => {
    it('reads a product and lists it without a token', async () => {
      const created = await asAdmin('POST', '/v1/products', newProduct({ category: `gw-${randomUUID()}` }));

      const read = await call('GET', `/v1/products/${created.body.id}`);
      const listed = await call('GET', `/v1/products?category=${created.body.category}`);

      expect(read).toMatchObject({ status: 200, body: created.body });
      expect(listed).toMatchObject({ status: 200, body: { items: [created.body], nextCursor: null } });
      // Sent as text serialised once (CatalogReads), under the JSON type Fastify gives objects.
      expect([read.contentType, listed.contentType]).toEqual([
        'application/json; charset=utf-8',
        'application/json; charset=utf-8',
      ]);
    });

    it('answers 400 validation-error for a malformed id and 404 for an unknown one', async () => {
      expectValidationProblem(await call('GET', '/v1/products/not-a-uuid'), 'id');
      expect(await call('GET', `/v1/products/${randomUUID()}`)).toMatchObject({
        status: 404,
        contentType: 'application/problem+json; charset=utf-8',
        body: { code: 'not-found' },
      });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=', 'limit'],
      ['sort=cheapest', 'sort'],
      ['minPrice=-1', 'minPrice'],
      ['maxPrice=100000001', 'maxPrice'],
      ['minPrice=500&maxPrice=100', 'maxPrice'],
      ['q=', 'q'],
      ['cursor=not-a-cursor', 'cursor'],
      ['category=a&category=b', 'category'],
      ['owner=me', 'owner'],
    ])('refuses the listing query %s as 400 on %s', async (query, field) => {
      expectValidationProblem(await call('GET', `/v1/products?${query}`), field);
    });
  });

  describe('writing (admin only)', () => {
    it('answers 401 without a token and 403 for a customer, and changes nothing', async () => {
      const sku = uniqueSku('GW');
      const created = await asAdmin('POST', '/v1/products', newProduct());
      const path = `/v1/products/${created.body.id}`;

      const attempts = [
        ['POST', '/v1/products', newProduct({ sku })],
        ['PATCH', path, { name: 'Hijacked' }],
        ['DELETE', path, undefined],
      ] as const;
      for (const [method, route, body] of attempts) {
        expect(await call(method, route, body)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
        expect(await call(method, route, body, customer)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
      }

      expect((await call('GET', path)).body).toEqual(created.body);
      expect(await queryDatabase(catalog.database.url, 'SELECT 1 FROM products WHERE sku = $1', [sku])).toEqual([]);
    });

    it('creates with 201 and the documented defaults', async () => {
      const answer = await asAdmin('POST', '/v1/products', newProduct());

      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        id: expect.any(String),
        sku: expect.stringMatching(/^GW-/),
        name: 'Gateway mug',
        description: '',
        priceCents: 1500,
        currency: 'USD',
        stock: 0,
        category: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('accepts every field at its limits', async () => {
      const answer = await asAdmin('POST', '/v1/products', {
        sku: `${uniqueSku('GW')}-`.padEnd(64, 'x'),
        name: 'n'.repeat(200),
        description: 'd'.repeat(5000),
        priceCents: 100_000_000,
        currency: 'JPY',
        stock: 0,
        category: 'c'.repeat(100),
      });
      const cheapest = await asAdmin('POST', '/v1/products', newProduct({ priceCents: 0, sku: 's' + randomUUID() }));

      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ priceCents: 100_000_000, currency: 'JPY', stock: 0 });
      expect(cheapest.status).toBe(201);
    });

    it.each([
      ['sku missing', { sku: undefined }, 'sku'],
      ['sku empty', { sku: '' }, 'sku'],
      ['sku of 65 characters', { sku: 'x'.repeat(65) }, 'sku'],
      ['sku not a string', { sku: 42 }, 'sku'],
      ['name missing', { name: undefined }, 'name'],
      ['name empty', { name: '' }, 'name'],
      ['name of 201 characters', { name: 'n'.repeat(201) }, 'name'],
      ['description of 5001 characters', { description: 'd'.repeat(5001) }, 'description'],
      ['description null', { description: null }, 'description'],
      ['priceCents missing', { priceCents: undefined }, 'priceCents'],
      ['priceCents negative', { priceCents: -1 }, 'priceCents'],
      ['priceCents over 100000000', { priceCents: 100_000_001 }, 'priceCents'],
      ['priceCents fractional', { priceCents: 9.99 }, 'priceCents'],
      ['priceCents as a string', { priceCents: '1500' }, 'priceCents'],
      ['currency lower-case', { currency: 'usd' }, 'currency'],
      ['currency of 2 letters', { currency: 'US' }, 'currency'],
      ['currency of 4 letters', { currency: 'USDX' }, 'currency'],
      ['stock negative', { stock: -1 }, 'stock'],
      ['stock fractional', { stock: 1.5 }, 'stock'],
      ['stock null', { stock: null }, 'stock'],
      ['category empty', { category: '' }, 'category'],
      ['category of 101 characters', { category: 'c'.repeat(101) }, 'category'],
      ['category not a string', { category: 7 }, 'category'],
      ['an unknown field', { archivedAt: null }, 'archivedAt'],
      ['a client-chosen id', { id: randomUUID() }, 'id'],
    ])('refuses a product with %s as 400 problem+json', async (_name, overrides, field) => {
      const body = { ...newProduct(), ...overrides };
      const answer = await asAdmin('POST', '/v1/products', body);

      expectValidationProblem(answer, field);
      expect(await queryDatabase(catalog.database.url, 'SELECT 1 FROM products WHERE sku = $1', [body.sku])).toEqual(
        [],
      );
    });

    it('refuses a malformed JSON body as 400', async () => {
      const response = await fetch(`${gateway.url}/v1/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...admin },
        body: '{"sku": ',
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'validation-error' });
    });

    it('answers 409 conflict for a duplicate sku, even one of an archived product', async () => {
      const first = await asAdmin('POST', '/v1/products', newProduct());
      const duplicate = await asAdmin('POST', '/v1/products', newProduct({ sku: first.body.sku }));
      await asAdmin('DELETE', `/v1/products/${first.body.id}`);
      const afterArchive = await asAdmin('POST', '/v1/products', newProduct({ sku: first.body.sku }));

      expect(duplicate).toMatchObject({ status: 409, body: { code: 'conflict', status: 409 } });
      expect(duplicate.contentType).toMatch(/^application\/problem\+json/);
      expect(afterArchive).toMatchObject({ status: 409, body: { code: 'conflict' } });
    });

    it('updates only the fields sent; category null clears it', async () => {
      const created = await asAdmin('POST', '/v1/products', newProduct({ category: 'mugs', stock: 4 }));

      const answer = await asAdmin('PATCH', `/v1/products/${created.body.id}`, { priceCents: 1800, category: null });

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        ...created.body,
        priceCents: 1800,
        category: null,
        updatedAt: expect.any(String),
      });
      expect(Date.parse(answer.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));
    });

    it.each([
      ['name null', { name: null }, 'name'],
      ['sku null', { sku: null }, 'sku'],
      ['priceCents null', { priceCents: null }, 'priceCents'],
      ['stock negative', { stock: -5 }, 'stock'],
      ['currency lower-case', { currency: 'eur' }, 'currency'],
      ['an id in the body', { id: randomUUID() }, 'id'],
      ['an unknown field', { createdAt: '2020-01-01T00:00:00Z' }, 'createdAt'],
    ])('refuses a PATCH with %s as 400', async (_name, body, field) => {
      const created = await asAdmin('POST', '/v1/products', newProduct());

      expectValidationProblem(await asAdmin('PATCH', `/v1/products/${created.body.id}`, body), field);
      expect((await call('GET', `/v1/products/${created.body.id}`)).body).toEqual(created.body);
    });

    it('answers 409 when a PATCH takes another product’s sku, and 400/404 for bad or unknown ids', async () => {
      const first = await asAdmin('POST', '/v1/products', newProduct());
      const second = await asAdmin('POST', '/v1/products', newProduct());

      expect(await asAdmin('PATCH', `/v1/products/${second.body.id}`, { sku: first.body.sku })).toMatchObject({
        status: 409,
        body: { code: 'conflict' },
      });
      expectValidationProblem(await asAdmin('PATCH', '/v1/products/123', { name: 'x' }), 'id');
      expect((await asAdmin('PATCH', `/v1/products/${randomUUID()}`, { name: 'x' })).status).toBe(404);
    });

    it('archives with 204: the product can no longer be read, listed, updated or archived, but stays stored', async () => {
      const category = `archive-${randomUUID()}`;
      const created = await asAdmin('POST', '/v1/products', newProduct({ category }));
      const path = `/v1/products/${created.body.id}`;

      const archived = await asAdmin('DELETE', path);

      expect(archived.status).toBe(204);
      expect(archived.body).toBeUndefined();
      expect((await call('GET', path)).status).toBe(404);
      expect((await call('GET', `/v1/products?category=${category}`)).body.items).toEqual([]);
      expect((await asAdmin('PATCH', path, { name: 'Back' })).status).toBe(404);
      expect((await asAdmin('DELETE', path)).status).toBe(404);
      expectValidationProblem(await asAdmin('DELETE', '/v1/products/nope'), 'id');
      const [row] = await queryDatabase<{ archived_at: Date | null }>(
        catalog.database.url,
        'SELECT archived_at FROM products WHERE id = $1',
        [created.body.id],
      );
      expect(row.archived_at).toBeInstanceOf(Date);
    });
  });

  describe('OpenAPI', () => {
    it('documents every catalog route with its success and problem answers, and admin routes with bearer auth', async () => {
      const document = (await call('GET', '/docs/openapi.json')).body;
      const collection = document.paths['/v1/products'];
      const item = document.paths['/v1/products/{id}'];

      expect(Object.keys(collection).sort()).toEqual(['get', 'post']);
      expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'patch']);
      expect(Object.keys(collection.get.responses)).toEqual(expect.arrayContaining(['200', '400', '503', '504']));
      expect(Object.keys(item.get.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
      expect(Object.keys(collection.post.responses)).toEqual(
        expect.arrayContaining(['201', '400', '401', '403', '409']),
      );
      expect(Object.keys(item.delete.responses)).toEqual(expect.arrayContaining(['204', '401', '403', '404']));
      for (const operation of [collection.post, item.patch, item.delete]) {
        expect(operation.security).toEqual([{ bearer: [] }]);
      }
      expect(collection.get.security ?? []).toEqual([]);
      // The query parameters, and x-request-id, declared once for every operation as a $ref.
      expect(collection.get.parameters.map((p: { name?: string; $ref?: string }) => p.name ?? p.$ref).sort()).toEqual(
        [
          '#/components/parameters/RequestId',
          'category',
          'cursor',
          'limit',
          'maxPrice',
          'minPrice',
          'q',
          'sort',
        ].sort(),
      );
      expect(
        item.get.responses['400'].content['application/problem+json'].examples['validation-error'].value.code,
      ).toBe('validation-error');
      expect(document.components.schemas.CreateProductRequest.required.sort()).toEqual(['name', 'priceCents', 'sku']);
    });
  });
});
