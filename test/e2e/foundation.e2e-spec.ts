import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expectEventually } from '@test/support/expect-eventually';
import { generateTestSigningKey } from '@test/support/auth-tokens';
import { gatewayApi } from '@test/support/gateway-api';
import { AppProcess, appProcess } from '@test/support/process-stack';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';

const SERVICES = ['auth', 'catalog', 'orders'] as const;

describe('the four applications as real processes', () => {
  let nats: PrivateNats;
  const databases: TestDatabase[] = [];
  let gateway: AppProcess;
  const services = new Map<string, AppProcess>();

  beforeAll(async () => {
    nats = await startPrivateNats();
    const signingKey = await generateTestSigningKey();
    const extras: Record<string, Record<string, string>> = {
      auth: { JWT_SIGNING_KEYS: signingKey.privatePem },
      catalog: { LOG_LEVEL: 'debug' },
    };
    for (const service of SERVICES) {
      const database = await createTestDatabase(`e2e${service}`);
      databases.push(database);
      const env = { ...nats.env(service), DATABASE_URL: database.url, ...extras[service] };
      services.set(service, (await appProcess(service, env)).start());
    }
    gateway = (await appProcess('gateway', nats.env('gateway'))).start();
    await Promise.all([gateway, ...services.values()].map((p) => p.waitUntilReady()));
  });

  afterAll(async () => {
    await Promise.all([gateway, ...services.values()].map((p) => p?.stop('SIGKILL')));
    await nats?.dispose();
    await Promise.all(databases.map((d) => d.drop()));
  });

  it('boots every service, each answering its ping subject over NATS', async () => {
    // As the gateway: the identity allowed to ping every service.
    const nc = await nats.connect('gateway');
    try {
      for (const service of SERVICES) {
        const subject = `${service}.system.ping`;
        const reply = await nc.request(subject, JSON.stringify({ pattern: subject, data: {}, id: '1' }), {
          timeout: 3000,
        });
        expect(reply.json()).toMatchObject({ response: { service, replica: `${service}-1` } });
      }
    } finally {
      await nc.close();
    }
  });

  it('writes JSON log lines with service and replica', () => {
    const line = services.get('catalog')!.lines.find((l) => l.msg !== undefined);
    expect(line).toMatchObject({ service: 'catalog', replica: 'catalog-1', level: expect.any(String) });
  });

  it('carries the request id from the client into the log lines of the service that did the work', async () => {
    const requestId = `e2e-${randomUUID()}`;
    const { response, error } = await gatewayApi(gateway.baseUrl).GET('/v1/products/{id}', {
      params: { path: { id: randomUUID() }, header: { 'x-request-id': requestId } },
    });

    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(error).toMatchObject({ code: 'not-found', requestId });
    // At LOG_LEVEL=debug every service logs one line per handled request.
    await expectEventually(() => {
      const seen = services.get('catalog')!.lines.filter((line) => line.requestId === requestId);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((line) => line.service === 'catalog' && line.replica === 'catalog-1')).toBe(true);
    });
  });

  it('answers unknown routes with problem+json and a request id', async () => {
    // A route the document doesn't have, so one the typed client can't name.
    const response = await fetch(`${gateway.baseUrl}/v1/nothing-here`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(await response.json()).toMatchObject({ code: 'not-found', status: 404 });
  });

  it('rejects bodies over 100 KiB with 413 payload-too-large', async () => {
    const { response, error } = await gatewayApi(gateway.baseUrl).POST('/v1/auth/login', {
      body: { email: 'a@b.c', password: 'x'.repeat(110 * 1024) },
    });

    expect(response.status).toBe(413);
    expect(error).toMatchObject({ code: 'payload-too-large' });
  });

  it('rejects malformed JSON with 400 validation-error', async () => {
    // Malformed JSON on purpose: the typed client only sends what the document allows.
    const response = await fetch(`${gateway.baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'validation-error' });
  });

  it('sends security headers', async () => {
    const response = await fetch(`${gateway.baseUrl}/health/live`);

    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the OpenAPI document docs/openapi.json holds, and the UI', async () => {
    // /docs and /health are operations endpoints, outside the API document: plain fetch.
    const served: unknown = await (await fetch(`${gateway.baseUrl}/docs/openapi.json`)).json();
    const ui = await fetch(`${gateway.baseUrl}/docs`);

    expect(served).toEqual(JSON.parse(readFileSync(resolve(__dirname, '../../docs/openapi.json'), 'utf8')));
    expect(ui.status).toBe(200);
  });

  it('exposes Prometheus metrics on the gateway', async () => {
    const text = await (await fetch(`${gateway.baseUrl}/metrics`)).text();

    expect(text).toMatch(/bazaar_http_requests_total\{[^}]*route="\/health\/live"/);
  });

  it('hashes passwords on auth threads of lower priority than any event loop (nice 10)', async () => {
    const pid = services.get('auth')!.pid!;
    /** Nice value and CPU ticks (utime + stime) of each thread, from /proc/<pid>/task/<tid>/stat. */
    const threads = () =>
      readdirSync(`/proc/${pid}/task`).map((tid) => {
        const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        return { tid: Number(tid), ticks: Number(fields[11]) + Number(fields[12]), nice: Number(fields[16]) };
      });
    const niced = (list: ReturnType<typeof threads>) => list.filter((thread) => thread.nice === 10);
    const before = threads();

    const email = `nice-${randomUUID()}@example.com`;
    const api = gatewayApi(gateway.baseUrl);
    const body = { email, password: 'correct horse battery' };
    const call = (path: '/v1/auth/register' | '/v1/auth/login') => api.POST(path, { body }).then((r) => r.response);
    expect((await call('/v1/auth/register')).status).toBe(201);

    // libuv's pool: 4 threads. The main thread (the event loop) and V8's own stay at 0.
    expect(niced(before)).toHaveLength(4);
    expect(before.find((thread) => thread.tid === pid)?.nice).toBe(0);
    expect(before.filter((thread) => thread.nice !== 10).every((thread) => thread.nice === 0)).toBe(true);
    // argon2id hashes (≈ 15-60 ms of CPU each) run on the niced threads. The kernel charges CPU in
    // 10 ms ticks by sampling, so no fixed number of logins is sure to show: log in until the niced
    // threads were charged 3 ticks (a deadline, not a count, bounds it).
    const tickSum = (list: ReturnType<typeof threads>) => niced(list).reduce((sum, thread) => sum + thread.ticks, 0);
    await expectEventually(
      async () => {
        expect((await call('/v1/auth/login')).status).toBe(200);
        expect(tickSum(threads()) - tickSum(before)).toBeGreaterThanOrEqual(3);
      },
      30_000,
      0,
    );
    expect(services.get('auth')!.lines).toContainEqual(
      expect.objectContaining({ msg: 'Password hashing threads (4) run at nice 10' }),
    );
  });

  it('exits 0 on SIGTERM, each process', async () => {
    const exits = await Promise.all([gateway, ...services.values()].map((p) => p.stop('SIGTERM')));

    expect(exits).toEqual(exits.map(() => ({ code: 0, signal: null })));
  });
});

describe('a process stopped while it starts', () => {
  it('exits 0 at once on SIGTERM, before it ever reached its database', async () => {
    // Nothing listens on port 1: the service keeps trying to reach its database.
    const starting = (
      await appProcess('catalog', {
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        NATS_URL: 'nats://127.0.0.1:1',
      })
    ).start();
    // TypeORM logs each failed attempt to connect: the process is inside its start-up.
    await expectEventually(() => expect(starting.lines.some((line) => line.context === 'TypeOrmModule')).toBe(true));

    // As a container's PID 1 ignores a signal it has no handler for, this would hang until SIGKILL.
    expect(await starting.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

describe('a process with an invalid environment', () => {
  it('refuses to start and lists every bad variable', async () => {
    const bad = (
      await appProcess('catalog', { DATABASE_URL: 'mysql://nope', DB_POOL_SIZE: 'many', LOG_LEVEL: 'loud' })
    ).start();
    const exit = await bad.exited();
    const fatal = bad.lines.find((l) => l.level === 'fatal');

    expect(exit.code).toBe(1);
    expect(fatal?.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('DATABASE_URL'),
        expect.stringContaining('DB_POOL_SIZE'),
        expect.stringContaining('LOG_LEVEL'),
      ]),
    );
  });
});
