import { connect, NatsConnection } from '@nats-io/transport-node';
import { BaseEnv, ServiceEnv, validateEnv } from '@app/common/config';
import { expectEventually } from '@test/support/expect-eventually';
import {
  InProcessGateway,
  InProcessService,
  startGatewayInProcess,
  startServiceInProcess,
} from '@test/support/in-process';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { PROBE_PATTERNS, ProbeHandlers, probeGatewayModule, ProbeServiceModule } from './fixtures/probe';

class ProbeEnv extends ServiceEnv {}

describe('gateway → NATS → service plumbing', () => {
  let nats: PrivateNats;
  let database: TestDatabase;
  let replicas: InProcessService[];
  let gateway: InProcessGateway;

  const startReplica = (name: string): Promise<InProcessService> =>
    startServiceInProcess({
      service: 'probe',
      envClass: ProbeEnv,
      module: (config) => ProbeServiceModule.forRoot(config, name),
      env: { NATS_URL: nats.url, DATABASE_URL: database.url, REPLICA_ID: name },
    });

  beforeAll(async () => {
    // The plumbing, on the probe fixture's own subjects: an open bus (the permissions have their own suite).
    nats = await startPrivateNats({ authorization: false });
    database = await createTestDatabase('plumbing');
    replicas = [await startReplica('probe-a'), await startReplica('probe-b')];
    const gatewayEnv = { NATS_URL: nats.url, RPC_TIMEOUT_MS: '300', RATE_LIMIT_RPM: '0' };
    gateway = await startGatewayInProcess(gatewayEnv, [probeGatewayModule(validateEnv(BaseEnv, gatewayEnv))]);
    await expectEventually(async () => expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200));
  });

  afterAll(async () => {
    await gateway?.close();
    for (const replica of replicas ?? []) {
      await replica.close();
    }
    await nats?.dispose();
    await database?.drop();
  });

  describe('error mapping', () => {
    it('turns a domain error thrown in a service into problem+json with its status and code', async () => {
      const response = await fetch(`${gateway.url}/probe/fail`, { headers: { 'x-request-id': 'err-map-1' } });

      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        code: 'insufficient-stock',
        detail: 'Only 2 left of product p-1',
        requestId: 'err-map-1',
        details: { productIds: ['p-1'] },
      });
    });

    it('answers 500 internal for an unexpected service error and leaks nothing of it', async () => {
      const response = await fetch(`${gateway.url}/probe/crash`);
      const text = await response.text();

      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toMatchObject({ code: 'internal', status: 500 });
      expect(text).not.toMatch(/SELECT|internal_table|db-host/);
    });

    it('answers 504 upstream-timeout when the service does not answer in time', async () => {
      const response = await fetch(`${gateway.url}/probe/slow/1000`);

      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({ code: 'upstream-timeout', status: 504 });
    });

    it('rejects an invalid NATS payload in the service as a validation error', async () => {
      const response = await fetch(`${gateway.url}/probe/raw-echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'ok', extra: 'mass-assignment' }),
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        code: 'validation-error',
        errors: [{ field: 'extra', message: expect.stringContaining('should not exist') }],
      });
    });

    it('rejects unknown body fields at the gateway with the field named', async () => {
      const response = await fetch(`${gateway.url}/probe/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 1, role: 'admin' }),
      });
      const problem = (await response.json()) as { code: string; errors: Array<{ field: string }> };

      expect(response.status).toBe(400);
      expect(problem.code).toBe('validation-error');
      expect(problem.errors.map((e) => e.field).sort()).toEqual(['role', 'text']);
    });
  });

  describe('malformed messages on the bus', () => {
    let nc: NatsConnection;

    beforeAll(async () => {
      nc = await connect({ servers: nats.url });
    });

    afterAll(async () => {
      await nc?.close();
    });

    const handled = (): number => replicas.reduce((sum, replica) => sum + replica.app.get(ProbeHandlers).handled, 0);
    const inFlight = (): number[] => replicas.map((replica) => replica.nats.inFlightCount());

    it.each([
      ['not JSON', '{"pattern":'],
      ['JSON null', 'null'],
      ['a JSON array', '[1,2]'],
      // Nest would run a request handler as a fire-and-forget event for this one, and answer nothing.
      ['an envelope without a request id', JSON.stringify({ pattern: PROBE_PATTERNS.WHOAMI, data: {} })],
    ])('answers %s with validation-error, runs no handler and leaves nothing in flight', async (_kind, payload) => {
      const before = handled();

      const reply = await nc.request(PROBE_PATTERNS.WHOAMI, payload, { timeout: 3000 });

      expect(reply.json()).toMatchObject({ err: { code: 'validation-error', status: 400 }, isDisposed: true });
      expect(handled()).toBe(before);
      await expectEventually(() => expect(inFlight()).toEqual([0, 0]));
    });

    it('drops an envelope without a request id sent without a reply subject, running no handler', async () => {
      const before = handled();

      nc.publish(PROBE_PATTERNS.WHOAMI, JSON.stringify({ pattern: PROBE_PATTERNS.WHOAMI, data: {} }));
      // Requests sent after it: once they are answered, the dropped message has reached a replica.
      await nc.flush();
      await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          nc.request(PROBE_PATTERNS.WHOAMI, JSON.stringify({ pattern: PROBE_PATTERNS.WHOAMI, data: {}, id: `${i}` })),
        ),
      );

      expect(handled()).toBe(before + 4);
      await expectEventually(() => expect(inFlight()).toEqual([0, 0]));
    });
  });

  describe('queue groups', () => {
    it('has each request handled by exactly one of two replicas, and both share the work', async () => {
      const handled = (): number[] => replicas.map((replica) => replica.app.get(ProbeHandlers).handled);
      const before = handled();
      const answers = await Promise.all(
        Array.from({ length: 60 }, () =>
          fetch(`${gateway.url}/probe/whoami`).then((r) => r.json() as Promise<{ replica: string }>),
        ),
      );
      const delta = handled().map((count, i) => count - before[i]);

      expect(answers).toHaveLength(60);
      expect(new Set(answers.map((a) => a.replica))).toEqual(new Set(['probe-a', 'probe-b']));
      expect(delta[0] + delta[1]).toBe(60);
      expect(delta.every((count) => count > 0)).toBe(true);
    });
  });

  describe('request ids', () => {
    it('echoes the caller id and carries it into the service log lines', async () => {
      const response = await fetch(`${gateway.url}/probe/whoami`, { headers: { 'x-request-id': 'trace-me-123' } });

      expect(response.headers.get('x-request-id')).toBe('trace-me-123');
      // In one test process Nest's static logger is shared by every app, so look at all captures;
      // the e2e suite checks each real process's own output.
      await expectEventually(() => {
        const lines = [...replicas, gateway].flatMap((r) => r.logs.lines).filter((l) => l.requestId === 'trace-me-123');
        expect(lines.some((l) => String(l.msg).startsWith('whoami handled'))).toBe(true);
      });
    });

    it('replaces an insane request id (header injection) with a fresh one', async () => {
      const response = await fetch(`${gateway.url}/probe/whoami`, { headers: { 'x-request-id': 'bad id;\tinject' } });
      const id = response.headers.get('x-request-id');

      expect(id).not.toBe('bad id;\tinject');
      expect(id).toMatch(/^[A-Za-z0-9._-]{1,128}$/);
    });
  });

  describe('no responders', () => {
    it('answers 503 service-unavailable while no replica serves the subject, and recovers', async () => {
      for (const replica of replicas) {
        await replica.close();
      }
      const response = await fetch(`${gateway.url}/probe/whoami`);

      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: 'service-unavailable' });

      replicas = [await startReplica('probe-c')];
      await expectEventually(async () => expect((await fetch(`${gateway.url}/probe/whoami`)).status).toBe(200));
    });
  });

  describe('graceful shutdown of the gateway', () => {
    it('finishes the HTTP requests in flight before closing, and refuses new ones', async () => {
      await expectEventually(async () => expect((await fetch(`${gateway.url}/probe/whoami`)).status).toBe(200));
      const slowStarted = () => replicas.reduce((sum, replica) => sum + replica.app.get(ProbeHandlers).slowStarted, 0);
      const startedBefore = slowStarted();
      const inFlight = Array.from({ length: 10 }, () => fetch(`${gateway.url}/probe/slow/200`));
      // Closed once every request reached a replica: all ten are in flight (or just answered).
      await expectEventually(() => expect(slowStarted() - startedBefore).toBe(10), 5000, 5);

      await gateway.close();
      const responses = await Promise.all(inFlight);

      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      await expect(fetch(`${gateway.url}/health/live`)).rejects.toThrow();
    });
  });
});
