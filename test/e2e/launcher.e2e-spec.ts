import { CATALOG_PATTERNS, ORDERS_EVENTS, ORDERS_STREAM } from '@app/contracts';
import type { EventEnvelope, OrderResponse, PingResponse } from '@app/contracts';
import { bearer, registerAndLogin } from '@test/support/auth-tokens';
import { expectEventually } from '@test/support/expect-eventually';
import { freePort } from '@test/support/free-port';
import {
  environmentOf,
  isRunning,
  killLauncherAndChildren,
  RunningLauncher,
  startLauncher,
} from '@test/support/launcher-process';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { gatewayApi, seen } from '@test/support/gateway-api';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { externalBusEnv } from '../../tools/launcher/bus-options';
import type { ReadyPayload } from '../../tools/launcher/ready-report';

/**
 * `npm start` as a developer (or the chaos tool) runs it: the real launcher process, the compiled
 * apps (`npm run build` has run) and fresh databases, on both of its buses: a private NATS of the
 * test's given as an external bus, and the launcher's own nats-server in a temporary state
 * directory (never the developer's .local/). Neither can meet a dev stack.
 */

const CATALOG_REPLICAS = 3;
const PINGS = 60;

interface LauncherSetting {
  databases: TestDatabase[];
  /** In place of the developer's .local/: the JWT key, the admin password, nats/. */
  stateDir: string;
  env: Record<string, string>;
}

/** Fresh databases, a state directory of its own and free ports: the environment of one launcher run. */
async function launcherSetting(label: string): Promise<LauncherSetting> {
  const databases = await Promise.all(['auth', 'catalog', 'orders'].map((s) => createTestDatabase(`${label}${s}`)));
  const [auth, catalog, orders] = databases;
  const stateDir = mkdtempSync(join(tmpdir(), `bazaar-launcher-${label}-`));
  const env = {
    LAUNCHER_STATE_DIR: stateDir,
    DATABASE_URL: process.env.TEST_PG_ADMIN_URL!,
    AUTH_DATABASE_URL: auth.url,
    CATALOG_DATABASE_URL: catalog.url,
    ORDERS_DATABASE_URL: orders.url,
    AUTH_OPS_PORT: String(await freePort()),
    CATALOG_OPS_PORT: String(await freePort()),
    ORDERS_OPS_PORT: String(await freePort()),
  };
  return { databases, stateDir, env };
}

async function dispose(setting: LauncherSetting | undefined): Promise<void> {
  await Promise.all(setting?.databases.map((database) => database.drop()) ?? []);
  if (setting) {
    rmSync(setting.stateDir, { recursive: true, force: true });
  }
}

async function stopBySigterm(launcher: RunningLauncher): Promise<{ code: number | null; signal: string | null }> {
  launcher.child.kill('SIGTERM');
  return launcher.exited;
}

/** The events consumer as another team's program connects: plain nats.js, the default inbox. */
function connectAsEventsConsumer(ready: ReadyPayload): Promise<NatsConnection> {
  const { servers, user, pass } = ready.eventsConsumer;
  return connect({ servers, user, pass, reconnect: false });
}

/** Reads a stream from its start with an ordered consumer until an event matches. */
async function findEvent<T>(
  nc: NatsConnection,
  stream: string,
  matches: (subject: string, event: EventEnvelope<T>) => boolean,
): Promise<EventEnvelope<T>> {
  const messages = await (await jetstream(nc).consumers.get(stream)).consume();
  const timer = setTimeout(() => void messages.close(), 15_000);
  try {
    for await (const message of messages) {
      const event = message.json<EventEnvelope<T>>();
      if (matches(message.subject, event)) {
        return event;
      }
    }
  } finally {
    clearTimeout(timer);
    await messages.close();
  }
  throw new Error(`No matching event in ${stream} within 15 s`);
}

describe('npm start (tools/launcher) on an external bus (--nats-url, credentials per identity)', () => {
  let nats: PrivateNats;
  let setting: LauncherSetting;
  let launcher: RunningLauncher;
  let ready: ReadyPayload;
  let gatewayPort: number;

  beforeAll(async () => {
    nats = await startPrivateNats();
    setting = await launcherSetting('lx');
    gatewayPort = await freePort();
    const args = ['--no-build', '--scale', `catalog=${CATALOG_REPLICAS}`, '--port', String(gatewayPort)];
    launcher = startLauncher(args, { ...setting.env, ...externalBusEnv(nats.url, nats.credentials) });
    ready = await launcher.ready;
  }, 120_000);

  afterAll(async () => {
    await killLauncherAndChildren(launcher, ready);
    await nats?.dispose();
    await dispose(setting);
  });

  it('reports every replica it started, with its pid, and the events consumer of that bus', () => {
    const catalog = ready.replicas.filter((replica) => replica.service === 'catalog').map((replica) => replica.id);
    expect(catalog.sort()).toEqual(['catalog-0', 'catalog-1', 'catalog-2']);
    expect(ready.replicas.map((replica) => replica.service).sort()).toEqual([
      'auth',
      'catalog',
      'catalog',
      'catalog',
      'gateway',
      'orders',
    ]);
    ready.replicas.forEach((replica) => expect(isRunning(replica.pid)).toBe(true));
    expect(ready.urls.api).toBe(`http://127.0.0.1:${gatewayPort}/v1`);
    expect(ready.eventsConsumer).toEqual({ servers: nats.url, user: 'events', pass: nats.credentials!.events.pass });
    expect(ready.natsServer).toBeUndefined();
  });

  it("gives each replica its own identity's credentials and no other identity's password", () => {
    const credentials = nats.credentials!;
    for (const replica of ready.replicas) {
      const env = environmentOf(replica.pid);
      const service = replica.service as keyof typeof credentials;
      const others = Object.values(credentials).filter((credential) => credential.user !== service);

      expect([replica.id, env.NATS_URL, env.NATS_USER]).toEqual([replica.id, nats.url, service]);
      expect(env.NATS_PASSWORD === credentials[service].pass).toBe(true);
      expect(Object.values(env).filter((value) => others.some(({ pass }) => value.includes(pass)))).toEqual([]);
    }
  });

  it('shares catalog requests across the three replicas, each request answered exactly once', async () => {
    const nc = await nats.connect('gateway');
    try {
      // One reply subject per request, so a duplicate answer would be visible (request() keeps only the first).
      const inbox = `_INBOX_gateway.launcher-${randomUUID()}`;
      const replies = new Map<number, PingResponse[]>();
      const subscription = nc.subscribe(`${inbox}.*`, {
        callback: (_error, msg) => {
          const index = Number(msg.subject.slice(inbox.length + 1));
          replies.set(index, [...(replies.get(index) ?? []), msg.json<{ response: PingResponse }>().response]);
        },
      });
      await nc.flush();
      for (let index = 0; index < PINGS; index++) {
        const packet = JSON.stringify({ pattern: CATALOG_PATTERNS.PING, data: {}, id: randomUUID() });
        nc.publish(CATALOG_PATTERNS.PING, packet, { reply: `${inbox}.${index}` });
      }
      await expectEventually(() => expect(replies.size).toBe(PINGS), 10_000);
      // Absence of a duplicate can only be observed over a window: one would arrive within
      // milliseconds of the first answer, from the replica that wrongly got the same message.
      await new Promise((resolve) => setTimeout(resolve, 300));
      subscription.unsubscribe();

      const answers = [...replies.values()];
      expect(answers.every((list) => list.length === 1)).toBe(true);
      const replicas = new Set(answers.map(([answer]) => answer.replica));
      expect([...replicas].sort()).toEqual(['catalog-0', 'catalog-1', 'catalog-2']);
      const printedPids = new Map(ready.replicas.map((replica) => [replica.id, replica.pid]));
      answers.forEach(([answer]) => expect(answer.pid).toBe(printedPids.get(answer.replica)));
    } finally {
      await nc.close();
    }
  });

  it('serves the gateway readiness on the chosen port and every ops port', async () => {
    const gateway = await fetch(`http://127.0.0.1:${gatewayPort}/health/ready`);
    expect(gateway.status).toBe(200);
    const statuses = await Promise.all(ready.replicas.map(async (replica) => (await fetch(replica.health)).status));
    expect(statuses).toEqual(ready.replicas.map(() => 200));
  });

  it('stops every replica and exits 0 on SIGTERM, leaving the external bus running', async () => {
    const exit = await stopBySigterm(launcher);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(ready.replicas.filter((replica) => isRunning(replica.pid)).map((replica) => replica.id)).toEqual([]);
    expect(isRunning(ready.launcherPid)).toBe(false);
    expect(launcher.output.join('\n')).toContain('Every replica has stopped.');
    await (await nats.connect('gateway')).close();
  }, 60_000);
});

describe('npm start (tools/launcher) on its own nats-server (the default)', () => {
  let setting: LauncherSetting;
  let stateDir: string;
  let args: string[];
  let env: Record<string, string>;
  let launcher: RunningLauncher;
  let ready: ReadyPayload;
  let natsPort: number;

  beforeAll(async () => {
    setting = await launcherSetting('lo');
    stateDir = setting.stateDir;
    natsPort = await freePort();
    args = ['--no-build', '--port', String(await freePort()), '--nats-port', String(natsPort)];
    // NATS_URL empty: whatever the developer's environment says, this launcher runs its own bus.
    env = { ...setting.env, NATS_URL: '' };
    launcher = startLauncher(args, env);
    ready = await launcher.ready;
  }, 120_000);

  afterAll(async () => {
    await killLauncherAndChildren(launcher, ready);
    await dispose(setting);
  });

  it('runs nats-server with authorization on the chosen port: an anonymous client is refused', async () => {
    expect(ready.natsUrl).toBe(`nats://127.0.0.1:${natsPort}`);
    expect(ready.natsServer?.credentialsFile).toBe(join(stateDir, 'nats', 'credentials.json'));
    expect(isRunning(ready.natsServer!.pid)).toBe(true);
    await expect(connect({ servers: ready.natsUrl, reconnect: false })).rejects.toThrow('Authorization Violation');
    const events = await connectAsEventsConsumer(ready);
    await events.close();
  });

  it("lets the events consumer read an order's event from the ORDERS stream with a consumer", async () => {
    const gatewayUrl = ready.urls.api.replace(/\/v1$/, '');
    const api = gatewayApi(gatewayUrl);
    const customer = await registerAndLogin(gatewayUrl);
    const products = await seen(api.GET('/v1/products', { params: { query: { limit: 20 } } }));
    const product = products.body.items.find((candidate) => candidate.stock > 0)!;
    const placed = await seen(
      api.POST('/v1/orders', {
        params: { header: { 'Idempotency-Key': randomUUID() } },
        headers: bearer(customer.accessToken),
        body: { items: [{ productId: product.id, quantity: 1 }] },
      }),
    );
    expect([placed.status, placed.body.status]).toEqual([201, 'confirmed']);

    const nc = await connectAsEventsConsumer(ready);
    try {
      const event = await findEvent<OrderResponse>(
        nc,
        ORDERS_STREAM.name,
        (subject, candidate) => subject === ORDERS_EVENTS.CONFIRMED && candidate.data.id === placed.body.id,
      );
      expect(event.data).toMatchObject({ id: placed.body.id, status: 'confirmed' });
    } finally {
      await nc.close();
    }
  }, 60_000);

  it('refuses the events consumer a publish on orders.events.confirmed', async () => {
    const nc = await connectAsEventsConsumer(ready);
    try {
      const refusals: string[] = [];
      void (async () => {
        for await (const status of nc.status()) {
          if (status.type === 'error') {
            refusals.push(status.error.message);
          }
        }
      })();
      const streams = await jetstreamManager(nc);
      const before = (await streams.streams.info(ORDERS_STREAM.name)).state.messages;

      nc.publish(ORDERS_EVENTS.CONFIRMED, JSON.stringify({ forged: true }));

      await expectEventually(() =>
        expect(refusals).toContain('Permissions Violation for Publish to "orders.events.confirmed"'),
      );
      expect((await streams.streams.info(ORDERS_STREAM.name)).state.messages).toBe(before);
    } finally {
      await nc.close();
    }
  });

  it('stops its nats-server after every replica has exited, on SIGTERM', async () => {
    const exit = await stopBySigterm(launcher);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(isRunning(ready.natsServer!.pid)).toBe(false);
    expect(ready.replicas.filter((replica) => isRunning(replica.pid)).map((replica) => replica.id)).toEqual([]);
    expect(existsSync(join(stateDir, 'nats', 'nats-server.pid'))).toBe(false);
    const replicasStopped = launcher.output.indexOf('[launcher] Every replica has stopped.');
    expect(replicasStopped).toBeGreaterThanOrEqual(0);
    expect(launcher.output.indexOf('[launcher] The own nats-server has stopped.')).toBeGreaterThan(replicasStopped);
  }, 60_000);

  it('keeps its credentials and its streams across a restart', async () => {
    const credentials = readFileSync(ready.natsServer!.credentialsFile, 'utf8');
    const first = ready;

    launcher = startLauncher(args, env);
    ready = await launcher.ready;

    expect(ready.natsServer!.pid).not.toBe(first.natsServer!.pid);
    expect(ready.eventsConsumer).toEqual(first.eventsConsumer);
    expect(readFileSync(ready.natsServer!.credentialsFile, 'utf8')).toBe(credentials);
    const nc = await connectAsEventsConsumer(ready);
    try {
      const info = await (await jetstreamManager(nc)).streams.info(ORDERS_STREAM.name);
      expect(info.state.messages).toBeGreaterThanOrEqual(1);
    } finally {
      await nc.close();
    }
    expect(await stopBySigterm(launcher)).toEqual({ code: 0, signal: null });
    expect(isRunning(ready.natsServer!.pid)).toBe(false);
  }, 150_000);
});
