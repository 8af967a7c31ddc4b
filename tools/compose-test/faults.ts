import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Answer, Api, withRetries } from './api';
import { ComposeProject, run } from './compose-cli';
import { containerIp, inspect, waitUntil } from './containers';
import { Shopper } from './scenario';

/** Replicas dying under load, as operators will see it. Each returns what went wrong (nothing, ideally). */

const WORKERS = 8;
/** How long the clients keep placing orders after the kills: the stack must recover under load. */
const LOAD_AFTER_FAULT_MS = 5000;
const DRAIN_CONNECTIONS = 24;

async function placeUntil(
  done: () => boolean,
  api: Api,
  shopper: Shopper,
  retries: { count: number },
): Promise<Answer[]> {
  const answers: Answer[] = [];
  while (!done()) {
    const key = randomUUID();
    const place = (): Promise<Answer> =>
      api.call('POST', '/v1/orders', {
        token: shopper.token,
        body: { items: [{ productId: shopper.productId, quantity: 1 }] },
        headers: { 'idempotency-key': key },
      });
    answers.push(await withRetries(place, retries));
  }
  return answers;
}

/**
 * Idempotent order placements from several clients while `fault` strikes: every placement succeeds
 * after its client's retries (same key), the shopper ends with exactly one order per key, and the
 * stock moved by exactly what was placed. Returns the fault's problems and these.
 */
async function underLoad(
  api: Api,
  shopper: Shopper,
  fault: () => Promise<{ what: string; problems: string[] }>,
): Promise<string[]> {
  const retries = { count: 0 };
  const before = { orders: await ordersOf(api, shopper), stock: await stockOf(api, shopper) };
  let stopAt = Infinity;
  const load = Promise.all(
    Array.from({ length: WORKERS }, () => placeUntil(() => Date.now() > stopAt, api, shopper, retries)),
  );
  await sleep(1500);
  const struck = await fault();
  stopAt = Date.now() + LOAD_AFTER_FAULT_MS;
  const answers = (await load).flat();
  const problems = [
    ...struck.problems,
    ...answers
      .filter((answer) => answer.status !== 201)
      .map((answer) => `a placement ended with ${answer.status} ${JSON.stringify(answer.body)}`),
  ];
  const placed = answers.length;
  const orders = (await ordersOf(api, shopper)) - before.orders;
  if (orders !== placed) {
    problems.push(`${orders} orders were created for ${placed} keys`);
  }
  const stock = await stockOf(api, shopper);
  if (stock !== before.stock - placed) {
    problems.push(`stock is ${stock}, expected ${before.stock - placed}`);
  }
  process.stdout.write(`  ${placed} placements, ${retries.count} retries; ${struck.what}\n`);
  return problems;
}

/** One gateway container and one orders container killed (SIGKILL) under load. */
export async function killsUnderLoad(api: Api, project: ComposeProject, shopper: Shopper): Promise<string[]> {
  let killed: string[] = [];
  const problems = await underLoad(api, shopper, async () => {
    killed = [(await project.containers('gateway'))[0], (await project.containers('orders'))[0]];
    await run('docker', ['kill', ...killed]);
    return { what: `killed gateway ${killed[0].slice(0, 12)} and orders ${killed[1].slice(0, 12)}`, problems: [] };
  });
  // Docker treats `docker kill` as a manual stop: the operator (here, the test) brings them back.
  await run('docker', ['start', ...killed]);
  return problems;
}

/**
 * One catalog and one orders container stopped (SIGTERM, as a rollout does) under load: each
 * drains what it has in hand and exits 0, and no placement is lost or doubled.
 */
export function servicesDrainUnderLoad(api: Api, project: ComposeProject, shopper: Shopper): Promise<string[]> {
  return underLoad(api, shopper, async () => {
    const ids = [(await project.containers('catalog'))[0], (await project.containers('orders'))[0]];
    await run('docker', ['stop', '-t', '30', ...ids], { timeoutMs: 60_000 });
    const exits = await Promise.all(ids.map(async (id) => (await inspect(id)).State.ExitCode));
    await run('docker', ['start', ...ids]);
    return {
      what: `stopped catalog ${ids[0].slice(0, 12)} (exit ${exits[0]}) and orders ${ids[1].slice(0, 12)} (exit ${exits[1]})`,
      problems: exits.flatMap((code, i) =>
        code === 0 ? [] : [`${['catalog', 'orders'][i]} exited ${code} after SIGTERM`],
      ),
    };
  });
}

async function stockOf(api: Api, shopper: Shopper): Promise<number> {
  return (await api.read<{ stock: number }>(`/v1/products/${shopper.productId}`)).stock;
}

async function ordersOf(api: Api, shopper: Shopper): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const query = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const page = await api.read<{ items: unknown[]; nextCursor: string | null }>(`/v1/orders${query}`, shopper.token);
    count += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return count;
}

/** A process that dies inside its container (not a `docker kill`): the restart policy brings it back, healthy. */
export async function processDeathRestarts(project: ComposeProject): Promise<string[]> {
  const [id] = await project.containers('catalog');
  const before = await inspect(id);
  await run('kill', ['-KILL', String(before.State.Pid)]);
  await waitUntil(
    `catalog ${id.slice(0, 12)} restarted and healthy`,
    async () => {
      const now = await inspect(id);
      return now.RestartCount > before.RestartCount && now.State.Health?.Status === 'healthy' ? true : undefined;
    },
    120_000,
  );
  return [];
}

/**
 * SIGTERM to a gateway container while requests are in flight on it: each is answered, and the
 * process exits 0 well within its grace period. The requests go over connections the gateway
 * already holds (opened by a first round of cheap requests), so none can be waiting in the
 * kernel's accept queue, where no server can answer it: exactly what the gateway promises (it stops
 * accepting first, answers what arrives on the connections it holds, then closes idle ones).
 */
export async function drainsOnSigterm(project: ComposeProject, shopper: Shopper): Promise<string[]> {
  const [id] = await project.containers('gateway');
  const host = containerIp(await inspect(id));
  const agent = new Agent({ keepAlive: true, maxSockets: DRAIN_CONNECTIONS });
  const request = (method: string, path: string, body?: unknown): Promise<number> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers = payload
        ? {
            'content-type': 'application/json',
            authorization: `Bearer ${shopper.token}`,
            'idempotency-key': randomUUID(),
          }
        : {};
      const req = httpRequest({ host, port: 3000, method, path, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(payload);
    });
  await Promise.all(Array.from({ length: DRAIN_CONNECTIONS }, () => request('GET', '/health/live')));
  // Order placements: a saga of several steps over NATS and two databases, in flight for a while.
  const line = { items: [{ productId: shopper.productId, quantity: 1 }] };
  const inFlight = Array.from({ length: DRAIN_CONNECTIONS }, () =>
    request('POST', '/v1/orders', line).then(
      String,
      (error: unknown) => `broken: ${String((error as { code?: string }).code ?? error)}`,
    ),
  );
  await sleep(20);
  await run('docker', ['kill', '--signal=SIGTERM', id]);
  const outcomes = await Promise.all(inFlight);
  agent.destroy();
  await run('docker', ['wait', id], { timeoutMs: 30_000 });
  const { State } = await inspect(id);
  const tally = outcomes.reduce<Record<string, number>>(
    (counts, outcome) => ({ ...counts, [outcome]: (counts[outcome] ?? 0) + 1 }),
    {},
  );
  process.stdout.write(
    `  drain: ${JSON.stringify(tally)} for ${DRAIN_CONNECTIONS} placements in flight, exit ${State.ExitCode}\n`,
  );
  await run('docker', ['start', id]);
  return [
    ...(State.ExitCode === 0 ? [] : [`gateway exited ${State.ExitCode} after SIGTERM`]),
    ...Object.entries(tally)
      .filter(([outcome]) => outcome !== '201')
      .map(([outcome, count]) => `${count} in-flight placement(s) ended ${outcome}`),
  ];
}
