import { CATALOG_PATTERNS } from '@app/common/contracts/catalog/catalog.patterns';
import type { PingResponse } from '@app/common/contracts/system/ping.response';
import { expectEventually } from '@test/support/expect-eventually';
import { freePort } from '@test/support/free-port';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { connect } from '@nats-io/transport-node';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { READY_MARKER, ReadyPayload } from '../../tools/launcher/ready-report';

/**
 * `npm start` as a developer (or the chaos tool) runs it: the real launcher process, the compiled
 * apps (`npm run build` has run), a private NATS and fresh databases so it can't meet a dev stack.
 */

const ROOT_DIR = join(__dirname, '..', '..');
const CATALOG_REPLICAS = 3;
const PINGS = 60;

interface RunningLauncher {
  child: ChildProcess;
  output: string[];
  ready: Promise<ReadyPayload>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startLauncher(args: string[], env: Record<string, string>): RunningLauncher {
  const child = spawn(join(ROOT_DIR, 'node_modules/.bin/tsx'), ['tools/launcher/main.ts', ...args], {
    cwd: ROOT_DIR,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<ReadyPayload>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        if (line.startsWith(`${READY_MARKER} `)) {
          resolve(JSON.parse(line.slice(READY_MARKER.length + 1)) as ReadyPayload);
        }
      });
    }
    void exited.then(({ code, signal }) =>
      reject(
        new Error(`The launcher exited (${code ?? signal}) before it was ready:\n${output.slice(-40).join('\n')}`),
      ),
    );
  });
  return { child, output, ready, exited };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

describe('npm start (tools/launcher)', () => {
  let nats: PrivateNats;
  let databases: TestDatabase[] = [];
  let launcher: RunningLauncher;
  let ready: ReadyPayload;
  let gatewayPort: number;

  beforeAll(async () => {
    nats = await startPrivateNats();
    const [auth, catalog, orders] = await Promise.all(
      ['auth', 'catalog', 'orders'].map((s) => createTestDatabase(`l${s}`)),
    );
    databases = [auth, catalog, orders];
    gatewayPort = await freePort();
    launcher = startLauncher(['--no-build', '--scale', `catalog=${CATALOG_REPLICAS}`, '--port', String(gatewayPort)], {
      NATS_URL: nats.url,
      DATABASE_URL: process.env.TEST_PG_ADMIN_URL!,
      AUTH_DATABASE_URL: auth.url,
      CATALOG_DATABASE_URL: catalog.url,
      ORDERS_DATABASE_URL: orders.url,
      AUTH_OPS_PORT: String(await freePort()),
      CATALOG_OPS_PORT: String(await freePort()),
      ORDERS_OPS_PORT: String(await freePort()),
    });
    ready = await launcher.ready;
  }, 120_000);

  afterAll(async () => {
    // Whatever failed above, leave no process behind: the launcher, then anything it started.
    if (launcher?.child.exitCode === null && launcher.child.signalCode === null) {
      launcher.child.kill('SIGKILL');
      await launcher.exited;
    }
    ready?.replicas
      .filter((replica) => isRunning(replica.pid))
      .forEach((replica) => process.kill(replica.pid, 'SIGKILL'));
    await nats?.dispose();
    await Promise.all(databases.map((database) => database.drop()));
  });

  it('reports every replica it started, with its pid', () => {
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
  });

  it('shares catalog requests across the three replicas, each request answered exactly once', async () => {
    const nc = await connect({ servers: nats.url });
    try {
      // One reply subject per request, so a duplicate answer would be visible (request() keeps only the first).
      const inbox = `_INBOX.launcher-${randomUUID()}`;
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

  it('stops every replica and exits 0 on SIGTERM', async () => {
    launcher.child.kill('SIGTERM');
    const exit = await launcher.exited;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(ready.replicas.filter((replica) => isRunning(replica.pid)).map((replica) => replica.id)).toEqual([]);
    expect(isRunning(ready.launcherPid)).toBe(false);
    expect(launcher.output.join('\n')).toContain('Every replica has stopped.');
  }, 60_000);
});
