import { ServiceEnv } from '@app/common/config';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { expectEventually } from '@test/support/expect-eventually';
import { InProcessService, startServiceInProcess } from '@test/support/in-process';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { TcpProxy } from '../../../tools/shared/tcp-proxy';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { HookCounter } from './fixtures/hook-counter';
import { PROBE_PATTERNS, ProbeServiceModule } from './fixtures/probe';

class ProbeEnv extends ServiceEnv {}

async function readiness(
  service: InProcessService,
): Promise<{ status: number; body: { checks: Record<string, string> } }> {
  const response = await fetch(`${service.opsUrl}/health/ready`);
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
}

function request(nc: NatsConnection, subject: string, data: unknown, timeout = 5000): Promise<unknown> {
  return nc
    .request(subject, JSON.stringify({ pattern: subject, data, id: String(Math.random()) }), { timeout })
    .then((reply) => reply.json<{ response?: unknown; err?: unknown }>());
}

describe('service operations', () => {
  let nats: PrivateNats;
  let database: TestDatabase;
  let databaseProxy: TcpProxy;
  let service: InProcessService;

  beforeAll(async () => {
    // The plumbing, on the probe fixture's own subjects: an open bus (the permissions have their own suite).
    nats = await startPrivateNats({ authorization: false });
    database = await createTestDatabase('operations');
    const target = new URL(database.url);
    databaseProxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    const proxyPort = await databaseProxy.start();
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxyPort);
    service = await startServiceInProcess({
      service: 'probe',
      envClass: ProbeEnv,
      module: (config) => ProbeServiceModule.forRoot(config, 'probe-ops'),
      env: { NATS_URL: nats.url, DATABASE_URL: proxied.toString(), REPLICA_ID: 'probe-ops' },
    });
  });

  afterAll(async () => {
    await service?.close().catch(() => undefined);
    await databaseProxy?.stop();
    await nats?.dispose();
    await database?.drop();
  });

  describe('start-up', () => {
    it('runs each module init and bootstrap hook exactly once (HTTP and NATS sides share them)', () => {
      const counter = service.app.get(HookCounter);

      expect({ moduleInit: counter.moduleInit, bootstrap: counter.bootstrap }).toEqual({ moduleInit: 1, bootstrap: 1 });
    });
  });

  describe('health', () => {
    it('is live and ready when its database and NATS are reachable', async () => {
      expect((await fetch(`${service.opsUrl}/health/live`)).status).toBe(200);
      await expectEventually(async () => expect(await readiness(service)).toMatchObject({ status: 200 }));
    });

    it('serves Prometheus metrics including RPC latency by subject and outcome', async () => {
      const nc = await connect({ servers: nats.url });
      await request(nc, PROBE_PATTERNS.WHOAMI, {});
      await nc.close();
      const text = await (await fetch(`${service.opsUrl}/metrics`)).text();

      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toMatch(
        /bazaar_rpc_server_duration_seconds_count\{[^}]*pattern="probe\.system\.whoami"[^}]*outcome="ok"/,
      );
    });
  });

  describe('readiness transitions', () => {
    it('goes 503 while NATS is down and back to 200 when it returns, without a restart', async () => {
      await nats.stop();
      await expectEventually(async () =>
        expect(await readiness(service)).toMatchObject({ status: 503, body: { checks: { nats: 'down' } } }),
      );

      await nats.start();
      await expectEventually(async () => expect(await readiness(service)).toMatchObject({ status: 200 }), 20_000);
      const nc = await connect({ servers: nats.url });
      await expect(request(nc, PROBE_PATTERNS.WHOAMI, {})).resolves.toEqual(
        expect.objectContaining({ response: { replica: 'probe-ops' } }),
      );
      await nc.close();
    });

    it('goes 503 while its database is unreachable and back to 200 when it returns', async () => {
      await databaseProxy.cut();
      await expectEventually(async () =>
        expect(await readiness(service)).toMatchObject({ status: 503, body: { checks: { database: 'down' } } }),
      );

      await databaseProxy.restore();
      await expectEventually(async () => expect(await readiness(service)).toMatchObject({ status: 200 }), 20_000);
    });
  });

  describe('graceful shutdown', () => {
    it('answers every request already in flight before it closes', async () => {
      const nc = await connect({ servers: nats.url });
      const inFlight = Array.from({ length: 20 }, () => request(nc, PROBE_PATTERNS.SLOW, { ms: 400 }));
      await expectEventually(() => expect(service.nats.inFlightCount()).toBe(20));

      const closing = service.close();
      const replies = await Promise.all(inFlight);
      await closing;

      expect(replies).toEqual(Array.from({ length: 20 }, () => expect.objectContaining({ response: { slept: 400 } })));
      await expect(request(nc, PROBE_PATTERNS.WHOAMI, {}, 1000)).rejects.toThrow(/no responders|503/i);
      await nc.close();
    });
  });
});
