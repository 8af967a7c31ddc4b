import { NatsConnection } from '@nats-io/transport-node';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { AUTH_PATTERNS, CATALOG_PATTERNS, ORDERS_PATTERNS } from '@app/contracts';
import { BusIdentity, callersOf } from '@app/common/messaging';
import { bearer } from '@test/support/auth-tokens';
import { FullStack } from '@test/support/full-stack';
import { queryDatabase } from '@test/support/test-database';

/**
 * Hostile input through the gateway (OWASP API Top 10): forged and misused tokens on every
 * route, injection strings, oversized and malformed bodies, and a few thousand generated
 * malformed requests. Expected: 4xx problem+json with the right code, never a 5xx, never an
 * accepted forgery, and nothing written.
 */
/** Sends `request` byte for byte on a fresh TCP connection; answers what came back before the server closed it. */
function rawExchange(baseUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(Buffer.from(request, 'latin1')));
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => (answer ? resolve(answer) : reject(new Error('closed without an answer'))));
  });
}

type Access = 'public' | 'bearer' | 'admin';
interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  access: Access;
}

const ROUTES: Route[] = [
  { method: 'POST', path: '/v1/auth/register', access: 'public' },
  { method: 'POST', path: '/v1/auth/login', access: 'public' },
  { method: 'POST', path: '/v1/auth/refresh', access: 'public' },
  { method: 'POST', path: '/v1/auth/logout', access: 'public' },
  { method: 'GET', path: '/v1/auth/me', access: 'bearer' },
  { method: 'GET', path: '/.well-known/jwks.json', access: 'public' },
  { method: 'GET', path: '/v1/products', access: 'public' },
  { method: 'GET', path: '/v1/products/:id', access: 'public' },
  { method: 'POST', path: '/v1/products', access: 'admin' },
  { method: 'PATCH', path: '/v1/products/:id', access: 'admin' },
  { method: 'DELETE', path: '/v1/products/:id', access: 'admin' },
  { method: 'POST', path: '/v1/orders', access: 'bearer' },
  { method: 'GET', path: '/v1/orders', access: 'bearer' },
  { method: 'GET', path: '/v1/orders/:id', access: 'bearer' },
  { method: 'POST', path: '/v1/orders/:id/cancel', access: 'bearer' },
];

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE products; --",
  '" OR ""="',
  '{"$gt": ""}',
  '$where: 1 == 1',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '\uD800',
  '𝕳𝖊𝖑𝖑𝖔 🛒',
  'a'.repeat(10_000),
];

/** encodeURIComponent, except that a lone surrogate becomes the invalid UTF-8 a raw client could send. */
function encodeQuery(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown> | undefined;
  requestId: string | null;
}

describe('hostile input through the gateway', () => {
  let stack: FullStack;
  const counts = async (): Promise<Record<string, number>> => {
    const [users] = await queryDatabase<{ n: string }>(stack.databaseUrl('auth'), 'SELECT count(*) AS n FROM users');
    const [products] = await queryDatabase<{ n: string }>(
      stack.databaseUrl('catalog'),
      'SELECT count(*) AS n FROM products',
    );
    const [orders] = await queryDatabase<{ n: string }>(
      stack.databaseUrl('orders'),
      'SELECT count(*) AS n FROM orders',
    );
    return { users: Number(users.n), products: Number(products.n), orders: Number(orders.n) };
  };

  // Raw on purpose: this suite sends what the typed client refuses to express (bad JSON, forged fields).
  async function send(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer> {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.body,
    });
    const text = await response.text();
    let body: Record<string, unknown> | undefined;
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body,
      requestId: response.headers.get('x-request-id'),
    };
  }

  function expectProblem(answer: Answer, status: number, code: string): void {
    expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
  }

  const concrete = (path: string, id: string = randomUUID()): string => path.replace(':id', id);

  beforeAll(async () => {
    stack = await FullStack.start('security');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('covers every operation the OpenAPI document publishes', async () => {
    const document = (await (await fetch(`${stack.url}/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const published = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const covered = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));

    expect(published.filter((operation) => !covered.has(operation))).toEqual([]);
  });

  describe('forged and misused tokens', () => {
    const protectedRoutes = ROUTES.filter((r) => r.access !== 'public');
    let forgeries: Record<string, string>;

    beforeAll(async () => {
      const valid = await stack.tokens.customerToken();
      const [header, payload] = valid.split('.');
      const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const realPublicPem = JSON.stringify(stack.tokens.key.publicJwk);
      const hsHeader = b64({ alg: 'HS256', typ: 'JWT', kid: stack.tokens.key.kid });
      const hsBody = b64({ ...claims, role: 'admin' });
      const hsSignature = createHmac('sha256', realPublicPem).update(`${hsHeader}.${hsBody}`).digest('base64url');
      const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const signWith = (overrides: { issuer?: string; audience?: string; kid?: string; key?: typeof otherKey }) =>
        new SignJWT({ role: 'admin' })
          .setProtectedHeader({ alg: 'ES256', kid: overrides.kid ?? stack.tokens.key.kid })
          .setSubject(randomUUID())
          .setIssuer(overrides.issuer ?? stack.tokens.issuer)
          .setAudience(overrides.audience ?? stack.tokens.audience)
          .setIssuedAt()
          .setExpirationTime('5m')
          .setJti(randomUUID())
          .sign(overrides.key ?? stack.tokens.key.privateKey);
      forgeries = {
        'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, role: 'admin' })}.`,
        'HS256 signed with the public key': `${hsHeader}.${hsBody}.${hsSignature}`,
        'tampered claims': `${header}.${b64({ ...claims, role: 'admin' })}.${valid.split('.')[2]}`,
        expired: await stack.tokens.accessToken({ role: 'admin', ttlSeconds: -120 }),
        'wrong audience': await signWith({ audience: 'someone-else' }),
        'wrong issuer': await signWith({ issuer: 'https://evil.example' }),
        'unknown kid': await signWith({ kid: 'not-a-known-key', key: otherKey }),
        'right kid, wrong key': await signWith({ key: otherKey }),
        garbage: 'not.a.jwt',
        empty: '',
      };
    });

    it.each(protectedRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
      '%s answers 401 to no token and to every forgery',
      async (_name, route) => {
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}';
        expectProblem(await send(route.method, concrete(route.path), { body }), 401, 'unauthorized');
        for (const [kind, token] of Object.entries(forgeries)) {
          const answer = await send(route.method, concrete(route.path), { body, headers: bearer(token) });
          expect({ kind, status: answer.status, code: answer.body?.code }).toEqual({
            kind,
            status: 401,
            code: 'unauthorized',
          });
        }
      },
    );

    it.each(ROUTES.filter((r) => r.access === 'admin').map((r) => [`${r.method} ${r.path}`, r] as const))(
      '%s answers 403 to a customer',
      async (_name, route) => {
        const token = await stack.tokens.customerToken();
        const body = route.method === 'DELETE' ? undefined : '{}';
        expectProblem(
          await send(route.method, concrete(route.path), { body, headers: bearer(token) }),
          403,
          'forbidden',
        );
      },
    );
  });

  describe('malformed and malicious input', () => {
    let before: Record<string, number>;
    let admin: string;
    let customer: string;

    beforeAll(async () => {
      before = await counts();
      admin = await stack.tokens.adminToken();
      customer = await stack.tokens.customerToken();
    });

    const tokenFor = (route: Route): Record<string, string> =>
      route.access === 'admin' ? bearer(admin) : route.access === 'bearer' ? bearer(customer) : {};

    it.each(ROUTES.filter((r) => r.path.includes(':id')).map((r) => [`${r.method} ${r.path}`, r] as const))(
      '%s rejects ids that are not UUIDs (traversal, injection) with 400',
      async (_name, route) => {
        for (const id of ['1', "1' OR '1'='1", '..%2F..%2Fadmin', '%2e%2e', 'null', `${randomUUID()}x`]) {
          const answer = await send(route.method, concrete(route.path, id), {
            headers: tokenFor(route),
            body: route.method === 'POST' || route.method === 'PATCH' ? '{}' : undefined,
          });
          expect({ id, status: answer.status }).toEqual({ id, status: answer.status === 404 ? 404 : 400 });
          expect(answer.status).toBeLessThan(500);
        }
      },
    );

    it('treats injection strings in query parameters as data, never as code', async () => {
      for (const value of INJECTIONS) {
        for (const parameter of ['q', 'category', 'sort', 'cursor', 'minPrice', 'limit']) {
          const answer = await send('GET', `/v1/products?${parameter}=${encodeQuery(value)}`);
          expect({ parameter, value: value.slice(0, 40), ok: answer.status < 500 }).toEqual({
            parameter,
            value: value.slice(0, 40),
            ok: true,
          });
          if (answer.status >= 400) {
            expect(answer.contentType).toMatch(/^application\/problem\+json/);
          }
        }
      }
    });

    it('treats injection strings in every body field as data', async () => {
      for (const value of INJECTIONS) {
        const answers = await Promise.all([
          send('POST', '/v1/auth/login', { body: JSON.stringify({ email: value, password: value }) }),
          send('POST', '/v1/auth/refresh', { body: JSON.stringify({ refreshToken: value }) }),
          send('POST', '/v1/products', {
            headers: bearer(admin),
            body: JSON.stringify({ sku: value, name: value, description: value, priceCents: value, category: value }),
          }),
          send('POST', '/v1/orders', {
            headers: bearer(customer),
            body: JSON.stringify({ items: [{ productId: value, quantity: 1 }] }),
          }),
        ]);
        for (const [i, answer] of answers.entries()) {
          expect({ value: value.slice(0, 20), i, clientError: answer.status >= 400 && answer.status < 500 }).toEqual({
            value: value.slice(0, 20),
            i,
            clientError: true,
            ...(answer.status >= 400 && answer.status < 500 ? {} : { status: answer.status, body: answer.body }),
          });
        }
      }
    });

    it('rejects mass assignment on every body', async () => {
      const attempts = [
        send('POST', '/v1/auth/register', {
          body: JSON.stringify({ email: `${randomUUID()}@x.test`, password: 'long-enough-pw', role: 'admin' }),
        }),
        send('POST', '/v1/auth/login', {
          body: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(8), admin: true }),
        }),
        send('POST', '/v1/products', {
          headers: bearer(admin),
          body: JSON.stringify({ sku: 'MA-1', name: 'n', priceCents: 1, stock: 1, id: randomUUID(), archived: false }),
        }),
        send('PATCH', `/v1/products/${randomUUID()}`, {
          headers: bearer(admin),
          body: JSON.stringify({ createdAt: 'x' }),
        }),
        send('POST', '/v1/orders', {
          headers: bearer(customer),
          body: JSON.stringify({
            items: [{ productId: randomUUID(), quantity: 1 }],
            userId: randomUUID(),
            status: 'confirmed',
          }),
        }),
      ];
      for (const answer of await Promise.all(attempts)) {
        expectProblem(answer, 400, 'validation-error');
      }
    });

    it('rejects oversized bodies, deep JSON, huge arrays and wrong types', async () => {
      expectProblem(
        await send('POST', '/v1/auth/login', { body: `"${'x'.repeat(200 * 1024)}"` }),
        413,
        'payload-too-large',
      );
      const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
      expect((await send('POST', '/v1/auth/login', { body: deep })).status).toBe(400);
      const hugeArray = JSON.stringify({
        items: Array.from({ length: 1000 }, () => ({ productId: randomUUID(), quantity: 1 })),
      });
      expectProblem(
        await send('POST', '/v1/orders', { headers: bearer(customer), body: hugeArray }),
        400,
        'validation-error',
      );
      for (const body of ['[]', '"string"', '42', 'null', '{"email": 1, "password": []}', '{"email": {"$ne": null}}']) {
        expectProblem(await send('POST', '/v1/auth/login', { body }), 400, 'validation-error');
      }
    });

    it('replaces request ids that could inject headers or logs with its own', async () => {
      for (const id of ['a b', '"quoted"', 'x'.repeat(200), '../etc', 'a;Set-Cookie=x']) {
        const response = await fetch(`${stack.url}/health/live`, { headers: { 'x-request-id': id } });

        expect(response.status).toBe(200);
        expect(response.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
        expect(response.headers.get('x-request-id')).not.toBe(id);
      }
    });

    it('echoes a sane request id sent the same raw way (the control: the raw exchange reaches the gateway)', async () => {
      const answer = await rawExchange(
        stack.url,
        'GET /health/live HTTP/1.1\r\nHost: gateway\r\nX-Request-Id: raw-control-1\r\nConnection: close\r\n\r\n',
      );

      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(answer).toMatch(/\r\nx-request-id: raw-control-1\r\n/i);
    });

    // fetch refuses to send these, so they go as raw bytes: a CR, an LF or a folded line inside the
    // header value, each trying to smuggle a Set-Cookie into the answer.
    it.each([
      ['CRLF with a folded line', 'a\r\n Set-Cookie: x=1'],
      ['a bare LF', 'a\nSet-Cookie: x=1'],
      ['a bare CR', 'a\rSet-Cookie: x=1'],
    ])('never echoes a request id carrying %s, nor the header it smuggles', async (_name, id) => {
      const answer = await rawExchange(
        stack.url,
        `GET /health/live HTTP/1.1\r\nHost: gateway\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n`,
      );
      const [statusLine, ...headerLines] = answer.split('\r\n\r\n')[0].split('\r\n');

      expect(statusLine).toMatch(/^HTTP\/1\.1 (200|400) /);
      expect(headerLines.filter((line) => /^set-cookie:/i.test(line))).toEqual([]);
      const echoed = headerLines.filter((line) => /^x-request-id:/i.test(line));
      for (const line of echoed) {
        expect(line).toMatch(/^x-request-id: [A-Za-z0-9._-]{1,128}$/i);
      }
      if (statusLine.includes(' 200 ')) {
        expect(echoed).toHaveLength(1); // served: with an id of its own
      }
    });

    it('answers a few thousand generated malformed requests with 4xx problem+json, never 5xx', async () => {
      const routeArb = fc.constantFrom(...ROUTES);
      const idArb = fc.oneof(
        fc.uuid(),
        fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s) || 'x'),
      );
      const bodyArb = fc.oneof(
        fc.json({ depthSize: 'small' }),
        fc.string({ maxLength: 200 }),
        fc.jsonValue().map((v) => JSON.stringify({ items: v, email: v, password: v, sku: v, refreshToken: v })),
      );
      const authArb = fc.constantFrom<'none' | 'customer' | 'admin' | 'junk'>('none', 'customer', 'admin', 'junk');
      const server5xx: string[] = [];
      let tried = 0;

      await fc.assert(
        fc.asyncProperty(routeArb, idArb, bodyArb, authArb, async (route, id, body, auth) => {
          tried++;
          const headers =
            auth === 'customer'
              ? bearer(customer)
              : auth === 'admin'
                ? bearer(admin)
                : auth === 'junk'
                  ? bearer(body)
                  : {};
          const answer = await send(route.method, concrete(route.path, id), {
            headers,
            body: route.method === 'GET' || route.method === 'DELETE' ? undefined : body,
          });
          if (answer.status >= 500) {
            server5xx.push(`${route.method} ${route.path} ${answer.status} ${JSON.stringify(answer.body)}`);
          }
          expect(answer.status).toBeLessThan(500);
          expect(answer.requestId).toBeTruthy();
          if (answer.status >= 400) {
            expect(answer.contentType).toMatch(/^application\/problem\+json/);
          }
        }),
        { numRuns: Number(process.env.HOSTILE_RUNS ?? 2500), seed: Number(process.env.HOSTILE_SEED ?? 20261126) },
      );

      expect(server5xx).toEqual([]);
      expect(tried).toBeGreaterThanOrEqual(Number(process.env.HOSTILE_RUNS ?? 2500));
      // ~25 s alone; several times that while other suites or benchmarks share the two cores.
    }, 300_000);

    describe('malformed messages on the bus', () => {
      // Every subject a service answers, as a peer on the bus (not the gateway) would send to it.
      const SUBJECTS = [AUTH_PATTERNS, CATALOG_PATTERNS, ORDERS_PATTERNS].flatMap((patterns) =>
        Object.values(patterns),
      );
      /** Subjects that take no payload: they ignore the data of a well-formed request and answer. */
      const IGNORE_DATA = new Set<string>([
        AUTH_PATTERNS.PING,
        AUTH_PATTERNS.GET_JWKS,
        CATALOG_PATTERNS.PING,
        ORDERS_PATTERNS.PING,
      ]);
      /** Every field optional: no data (`null`, or an object with nothing of its own) is a valid query. */
      const ALL_OPTIONAL = new Set<string>([CATALOG_PATTERNS.LIST_PRODUCTS]);
      const envelope = (subject: string, data: unknown, id?: string): string =>
        JSON.stringify({ pattern: subject, data, ...(id === undefined ? {} : { id }) });
      /** Not a request Nest's transport can read: never answered with anything but validation-error. */
      const notARequest = (subject: string): Record<string, string | Uint8Array> => ({
        'truncated JSON': '{"pattern":',
        'binary garbage': Uint8Array.from([0xff, 0xfe, 0x00, 0x80, 0x7b]),
        'an empty message': new Uint8Array(),
        'JSON null': 'null',
        'a JSON array': '[1,2,3]',
        // Nest would run the handler as a fire-and-forget event (an order placed unheard) and answer nothing.
        'an envelope without a request id': envelope(subject, { id: randomUUID() }),
      });
      /** A request whose data break the subject's contract. */
      const wrongData = (subject: string): Record<string, string> => ({
        'data a string': envelope(subject, 'garbage', randomUUID()),
        'data null': envelope(subject, null, randomUUID()),
        'data of wrong types': envelope(
          subject,
          { id: 42, email: [], password: {}, items: 'x', lines: 7, orderId: true, actor: 'admin' },
          randomUUID(),
        ),
        'a prototype-polluting body': `{"pattern":"${subject}","id":"${randomUUID()}","data":{"__proto__":{"role":"admin"}}}`,
      });
      const expected = (subject: string, kind: string): string => {
        if (kind in notARequest(subject)) {
          return 'validation-error';
        }
        const nothingAsked = kind === 'data null' || kind === 'a prototype-polluting body';
        return IGNORE_DATA.has(subject) || (ALL_OPTIONAL.has(subject) && nothingAsked)
          ? 'answered'
          : 'validation-error';
      };
      // Each subject is sent to by an identity allowed to call it (catalog's stock subjects: orders).
      const connections = new Map<BusIdentity, NatsConnection>();

      afterAll(async () => {
        await Promise.all([...connections.values()].map((connection) => connection.close()));
      });

      async function callerOf(subject: string): Promise<NatsConnection> {
        const [identity] = callersOf(subject);
        if (!connections.has(identity)) {
          connections.set(identity, await stack.nats.connect(identity));
        }
        return connections.get(identity)!;
      }

      async function replyTo(subject: string, payload: string | Uint8Array): Promise<Record<string, unknown>> {
        const reply = await (await callerOf(subject)).request(subject, payload, { timeout: 5000 });
        return reply.json<Record<string, unknown>>();
      }

      it.each(SUBJECTS)(
        '%s answers every malformed message with validation-error (or ignores data it takes none of), never a crash',
        async (subject) => {
          const payloads = { ...notARequest(subject), ...wrongData(subject) };
          const answers: Record<string, unknown> = {};
          for (const [kind, payload] of Object.entries(payloads)) {
            const reply = await replyTo(subject, payload).catch((error: unknown) => ({ noReply: String(error) }));
            const code = (reply as { err?: { code?: string } }).err?.code;
            answers[kind] = code ?? ('response' in reply ? 'answered' : reply);
          }

          expect(answers).toEqual(
            Object.fromEntries(Object.keys(payloads).map((kind) => [kind, expected(subject, kind)])),
          );
          const ping = `${subject.split('.')[0]}.system.ping`;
          expect(await replyTo(ping, envelope(ping, {}, randomUUID()))).toHaveProperty('response');
        },
      );

      it('leaves every replica running', () => {
        expect(stack.processes.map((p) => ({ app: p.app, running: p.running }))).toEqual(
          stack.processes.map((p) => ({ app: p.app, running: true })),
        );
      });
    });

    it('wrote nothing while rejecting all of the above', async () => {
      const after = await counts();
      // Generated bodies can (rarely) form a valid registration; nothing else may be written.
      expect({ products: after.products, orders: after.orders }).toEqual({
        products: before.products,
        orders: before.orders,
      });
    });
  });
});
