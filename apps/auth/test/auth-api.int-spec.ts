import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { expectEventually } from '@test/support/expect-eventually';
import { queryDatabase } from '@test/support/test-database';
import { AUDIENCE, AuthStack, call, ISSUER } from './support/auth-stack';

const PASSWORD = 'correct horse battery staple';

describe('auth routes through the gateway', () => {
  let stack: AuthStack;
  const email = (label: string): string => `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}@Example.COM`;

  beforeAll(async () => {
    stack = await new AuthStack('authapi').start();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('POST /v1/auth/register', () => {
    it('creates a customer with a lower-cased email and answers 201 with the user only', async () => {
      const address = email('reg');
      const sut = await call(`${stack.url}/v1/auth/register`, {
        body: { email: address, password: PASSWORD, name: 'Ada' },
      });

      expect(sut.status).toBe(201);
      expect(sut.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: address.toLowerCase(),
        name: 'Ada',
        role: 'customer',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      });
    });

    it('rejects a role in the body (no mass assignment) and creates nothing', async () => {
      const address = email('massassign');
      const sut = await call(`${stack.url}/v1/auth/register`, {
        body: { email: address, password: PASSWORD, role: 'admin' },
      });

      expect(sut.status).toBe(400);
      expect(sut.body).toMatchObject({ code: 'validation-error', errors: [{ field: 'role' }] });
      const rows = await queryDatabase(stack.database.url, 'SELECT 1 FROM users WHERE email = $1', [
        address.toLowerCase(),
      ]);
      expect(rows).toHaveLength(0);
    });

    it.each([
      ['a short password', { password: 'short' }],
      ['a password over 128 characters', { password: 'x'.repeat(129) }],
      ['a malformed email', { email: 'not-an-email' }],
      ['a non-string name', { name: 42 }],
      ['a null name', { name: null }],
    ])('rejects %s with 400 validation-error', async (_label, override) => {
      const sut = await call(`${stack.url}/v1/auth/register`, {
        body: { email: email('invalid'), password: PASSWORD, ...override },
      });

      expect(sut.status).toBe(400);
      expect(sut.body.code).toBe('validation-error');
    });

    it('accepts passwords of exactly 8 and 128 characters', async () => {
      for (const password of ['12345678', 'p'.repeat(128)]) {
        const sut = await call(`${stack.url}/v1/auth/register`, { body: { email: email('bounds'), password } });
        expect(sut.status).toBe(201);
      }
    });

    it('answers 409 conflict for an email registered in another case', async () => {
      const address = email('dupe');
      await call(`${stack.url}/v1/auth/register`, { body: { email: address, password: PASSWORD } });

      const sut = await call(`${stack.url}/v1/auth/register`, {
        body: { email: address.toUpperCase(), password: PASSWORD },
      });

      expect(sut.status).toBe(409);
      expect(sut.body).toMatchObject({ code: 'conflict', status: 409 });
    });

    it('stores an argon2id hash at or above OWASP parameters, never the password', async () => {
      const address = email('hash');
      await call(`${stack.url}/v1/auth/register`, { body: { email: address, password: PASSWORD } });

      const [row] = await queryDatabase<{ password_hash: string }>(
        stack.database.url,
        'SELECT password_hash FROM users WHERE email = $1',
        [address.toLowerCase()],
      );
      const [, algorithm, , params] = row.password_hash.split('$');
      const [m, t, p] = params.split(',').map((part) => Number(part.split('=')[1]));
      expect(algorithm).toBe('argon2id');
      expect(m).toBeGreaterThanOrEqual(19_456);
      expect(t).toBeGreaterThanOrEqual(2);
      expect(p).toBeGreaterThanOrEqual(1);
      expect(row.password_hash).not.toContain(PASSWORD);
    });

    it('publishes auth.events.user-registered to the AUTH stream, without password or hash', async () => {
      const address = email('event');
      const registered = await call(`${stack.url}/v1/auth/register`, { body: { email: address, password: PASSWORD } });
      const connection = await stack.nats.connect('events');
      try {
        const manager = await jetstreamManager(connection);
        await expectEventually(async () => {
          const info = await manager.streams.info('AUTH');
          expect(info.config.subjects).toEqual(['auth.events.>']);
        });
        const js = jetstream(connection);
        const consumer = await js.consumers.get('AUTH');
        const events: Array<{ type: string; data: Record<string, unknown>; id: string; occurredAt: string }> = [];
        await expectEventually(async () => {
          const batch = await consumer.fetch({ max_messages: 100, expires: 1000 });
          for await (const message of batch) {
            events.push(message.json());
          }
          expect(events.map((event) => event.data.email)).toContain(address.toLowerCase());
        });
        const event = events.find((candidate) => candidate.data.email === address.toLowerCase())!;
        expect(event).toEqual({
          id: expect.any(String),
          type: 'auth.events.user-registered',
          occurredAt: expect.any(String),
          data: registered.body,
        });
        expect(JSON.stringify(event)).not.toMatch(/password|argon2|\$argon/i);
      } finally {
        await connection.close();
      }
    });
  });

  describe('POST /v1/auth/login', () => {
    it('answers a token pair whose access token carries the documented claims', async () => {
      const address = email('login');
      const registered = await call(`${stack.url}/v1/auth/register`, { body: { email: address, password: PASSWORD } });

      const sut = await call(`${stack.url}/v1/auth/login`, {
        body: { email: address.toUpperCase(), password: PASSWORD },
      });

      expect(sut.status).toBe(200);
      expect(sut.headers.get('cache-control')).toBe('no-store');
      expect(sut.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43,}$/),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const header = decodeProtectedHeader(sut.body.accessToken);
      const claims = decodeJwt(sut.body.accessToken);
      expect(header).toEqual({ alg: 'ES256', kid: stack.key.kid, typ: 'at+jwt' });
      expect(claims).toEqual({
        sub: registered.body.id,
        role: 'customer',
        iat: expect.any(Number),
        exp: expect.any(Number),
        iss: ISSUER,
        aud: AUDIENCE,
        jti: expect.any(String),
      });
      expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(900);
    });

    it('stores only a hash of the refresh token', async () => {
      const address = email('rthash');
      await call(`${stack.url}/v1/auth/register`, { body: { email: address, password: PASSWORD } });
      const login = await call(`${stack.url}/v1/auth/login`, { body: { email: address, password: PASSWORD } });

      const dump = await queryDatabase(
        stack.database.url,
        `SELECT encode(token_hash, 'escape') AS h, * FROM refresh_tokens`,
      );

      expect(JSON.stringify(dump)).not.toContain(login.body.refreshToken);
    });

    it('answers the same 401 for a wrong password and for an unknown email', async () => {
      const address = email('same401');
      await call(`${stack.url}/v1/auth/register`, { body: { email: address, password: PASSWORD } });

      const wrongPassword = await call(`${stack.url}/v1/auth/login`, {
        body: { email: address, password: 'wrong-password' },
      });
      const unknownEmail = await call(`${stack.url}/v1/auth/login`, {
        body: { email: email('nobody'), password: PASSWORD },
      });

      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      const strip = (body: Record<string, unknown>): Record<string, unknown> => ({ ...body, requestId: undefined });
      expect(strip(wrongPassword.body)).toEqual(strip(unknownEmail.body));
      expect(wrongPassword.body).toMatchObject({ code: 'unauthorized', detail: 'Invalid email or password' });
    });

    it('rejects unknown fields in the login body', async () => {
      const sut = await call(`${stack.url}/v1/auth/login`, {
        body: { email: email('x'), password: PASSWORD, remember: true },
      });

      expect(sut.status).toBe(400);
      expect(sut.body.errors).toEqual([expect.objectContaining({ field: 'remember' })]);
    });
  });

  describe('GET /v1/auth/me', () => {
    it('answers the caller of a valid access token', async () => {
      const address = email('me');
      const registered = await call(`${stack.url}/v1/auth/register`, { body: { email: address, password: PASSWORD } });
      const login = await call(`${stack.url}/v1/auth/login`, { body: { email: address, password: PASSWORD } });

      const sut = await call(`${stack.url}/v1/auth/me`, { token: login.body.accessToken });

      expect(sut.status).toBe(200);
      expect(sut.body).toEqual(registered.body);
    });

    it('answers 401 problem+json without a token', async () => {
      const sut = await call(`${stack.url}/v1/auth/me`);

      expect(sut.status).toBe(401);
      expect(sut.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(sut.body).toMatchObject({ type: 'about:blank', status: 401, code: 'unauthorized' });
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('serves the public signing keys only', async () => {
      const sut = await call(`${stack.url}/.well-known/jwks.json`);

      expect(sut.status).toBe(200);
      expect(sut.body).toEqual({
        keys: [
          {
            kty: 'EC',
            crv: 'P-256',
            x: expect.any(String),
            y: expect.any(String),
            kid: stack.key.kid,
            alg: 'ES256',
            use: 'sig',
          },
        ],
      });
      expect(sut.text).not.toContain('"d"');
    });
  });

  describe('OpenAPI', () => {
    it('documents every auth route with its responses', async () => {
      const sut = await call(`${stack.url}/docs/openapi.json`);
      const paths = sut.body.paths;

      expect(Object.keys(paths)).toEqual(
        expect.arrayContaining([
          '/v1/auth/register',
          '/v1/auth/login',
          '/v1/auth/refresh',
          '/v1/auth/logout',
          '/v1/auth/me',
          '/.well-known/jwks.json',
        ]),
      );
      expect(Object.keys(paths['/v1/auth/login'].post.responses).sort()).toEqual([
        '200',
        '400',
        '401',
        '413',
        '429',
        '503',
        '504',
      ]);
      expect(paths['/v1/auth/me'].get.security).toEqual([{ bearer: [] }]);
      expect(sut.body.components.schemas.RegisterRequest.properties).not.toHaveProperty('role');
    });
  });
});
