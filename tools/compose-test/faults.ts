import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Answer, Api, withRetries } from './api';
import { ComposeProject, run } from './compose-cli';
import { containerIp, inspect, waitUntil } from './containers';
import { Shopper } from './scenario';

/** Replicas dying under load, as operators will see it. Each returns what went wrong (nothing, ideally). */

const WORKERS = 8;
const ORDERS_PER_WORKER = 12;

async function placeUntilDone(api: Api, shopper: Shopper, retries: { count: number }): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < ORDERS_PER_WORKER; i++) {
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
 * Idempotent order placements from several clients while one gateway container and one orders
 * container are killed: every placement succeeds after its client's retries (same key), and the
 * shopper ends with exactly one order per key and the stock to match.
 */
export async function killsUnderLoad(api: Api, project: ComposeProject, shopper: Shopper): Promise<string[]> {
  const retries = { count: 0 };
  const before = await ordersOf(api, shopper);
  const load = Promise.all(Array.from({ length: WORKERS }, () => placeUntilDone(api, shopper, retries)));
  await sleep(1500);
  const [gateway] = await project.containers('gateway');
  const [orders] = await project.containers('orders');
  await run('docker', ['kill', gateway]);
  await run('docker', ['kill', orders]);
  const answers = (await load).flat();
  const problems = answers
    .filter((answer) => answer.status !== 201)
    .map((answer) => `a placement ended with ${answer.status} ${JSON.stringify(answer.body)}`);
  const placed = WORKERS * ORDERS_PER_WORKER;
  const after = await ordersOf(api, shopper);
  if (after - before !== placed) {
    problems.push(`${after - before} orders were created for ${placed} keys`);
  }
  const product = await api.expect<{ stock: number }>(200, 'GET', `/v1/products/${shopper.productId}`);
  if (product.stock !== shopper.initialStock - placed) {
    problems.push(`stock is ${product.stock}, expected ${shopper.initialStock - placed}`);
  }
  process.stdout.write(
    `  ${placed} placements, ${retries.count} retries, killed gateway ${gateway.slice(0, 12)} and orders ${orders.slice(0, 12)}\n`,
  );
  // Docker treats `docker kill` as a manual stop: the operator (here, the test) brings them back.
  await run('docker', ['start', gateway, orders]);
  return problems;
}

async function ordersOf(api: Api, shopper: Shopper): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const query = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const page = await api.expect<{ items: unknown[]; nextCursor: string | null }>(200, 'GET', `/v1/orders${query}`, {
      token: shopper.token,
    });
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
 * SIGTERM to a gateway container with requests in flight on it: each gets its answer (or a refused
 * connection once it stopped listening, which a client or nginx retries elsewhere), and the
 * process exits 0 well within its grace period.
 */
export async function drainsOnSigterm(project: ComposeProject, shopper: Shopper): Promise<string[]> {
  const [id] = await project.containers('gateway');
  const direct = new Api(`http://${containerIp(await inspect(id))}:3000`);
  let running = true;
  const outcomes = { answered: 0, refused: 0, broken: [] as string[] };
  const worker = async (): Promise<void> => {
    while (running) {
      try {
        const answer = await direct.call('GET', `/v1/products/${shopper.productId}`);
        outcomes.answered += answer.status === 200 || answer.status === 503 ? 1 : 0;
        if (answer.status !== 200 && answer.status !== 503) {
          outcomes.broken.push(`answered ${answer.status}`);
        }
      } catch (error) {
        const cause = String((error as { cause?: { code?: string } }).cause?.code ?? error);
        if (cause === 'ECONNREFUSED' || cause === 'EHOSTUNREACH') {
          outcomes.refused++;
          running = false;
        } else {
          outcomes.broken.push(cause);
        }
      }
    }
  };
  const workers = Array.from({ length: 16 }, worker);
  await sleep(1000);
  const stopped = run('docker', ['stop', '-t', '30', id], { timeoutMs: 60_000 });
  await stopped;
  running = false;
  await Promise.all(workers);
  const { State } = await inspect(id);
  process.stdout.write(
    `  drain: ${outcomes.answered} answered, ${outcomes.refused} refused after close, exit ${State.ExitCode}\n`,
  );
  await run('docker', ['start', id]);
  return [
    ...(State.ExitCode === 0 ? [] : [`gateway exited ${State.ExitCode} after SIGTERM`]),
    ...outcomes.broken.slice(0, 5).map((what) => `an in-flight request broke: ${what}`),
  ];
}
