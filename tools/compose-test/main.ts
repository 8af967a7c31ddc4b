/**
 * `npm run test:compose`: the README's compose instructions, run as an operator would, against a
 * real engine. Builds the four images, brings the whole stack up (NATS with JetStream and
 * authorization, one Postgres per service, migrations once, two replicas of each app behind nginx),
 * drives it through nginx, kills containers under load, and tears everything down, leaving no
 * container, network or volume behind. Exit code 0 only if every step held.
 *
 * Needs a Docker engine and Compose (v2 `docker compose` or 1.29 `docker-compose`); the base images
 * must be pullable or present (on the CI machines their toolchain script
 * ../shared/container-bases/build.sh, outside this repository, builds stand-ins; see .ci/run).
 */
import { join } from 'node:path';
import { freePort } from '../bench/free-port';
import { Api } from './api';
import { ComposeProject } from './compose-cli';
import { buildImages } from './images';
import { checkAppContainers } from './containers';
import { drainsOnSigterm, killsUnderLoad, processDeathRestarts, servicesDrainUnderLoad } from './faults';
import { createShopper, firstUserFlow, orderEvents, requestsPerGateway } from './scenario';

const ROOT_DIR = join(__dirname, '..', '..');
/** Stock of each load phase's product: more than a phase can sell on any machine. */
const LOAD_STOCK = 1_000_000;

async function step(name: string, body: () => Promise<string[] | void>): Promise<void> {
  const started = Date.now();
  process.stdout.write(`\n== ${name}\n`);
  const problems = (await body()) ?? [];
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    const shown = [...problems.slice(0, 10), ...(problems.length > 10 ? [`… and ${problems.length - 10} more`] : [])];
    throw new Error(`${name} (${seconds} s):\n  - ${shown.join('\n  - ')}`);
  }
  process.stdout.write(`   ok (${seconds} s)\n`);
}

async function exercise(project: ComposeProject): Promise<void> {
  const api = new Api(`http://127.0.0.1:${project.settings.httpPort}`);
  await step('docker build each app (BuildKit), sizes within target', () => buildImages(ROOT_DIR));
  await step('build the images through Compose', () => project.streamCompose(['build'], '  [build]'));
  await step('up: every container healthy', async () => {
    const up = await project.compose(['up', '-d'], 900_000);
    return up.code === 0 ? [] : [`up exited ${up.code}: ${up.stderr.slice(-2000)}`];
  });
  await step('containers: uid 1000, read-only root, healthy, two replicas each, memory limits and heap budgets', () =>
    checkAppContainers(project),
  );
  const shopper = await createShopper(api, project, 1000);
  let orderId = '';
  await step('register, log in, browse, order, cancel, docs', async () => {
    orderId = await firstUserFlow(api, shopper);
  });
  await step('the order’s events on the ORDERS stream; no stranger on the bus', async () => {
    const subjects = await orderEvents(project, orderId);
    const expected = ['orders.events.confirmed', 'orders.events.cancelled'];
    return JSON.stringify(subjects) === JSON.stringify(expected) ? [] : [`events ${JSON.stringify(subjects)}`];
  });
  await step('every gateway replica served traffic', async () => {
    for (let i = 0; i < 40; i++) {
      await api.expect(200, 'GET', `/v1/products/${shopper.productId}`);
    }
    const counts = await requestsPerGateway(project);
    process.stdout.write(`  requests per gateway replica: ${JSON.stringify(Object.fromEntries(counts))}\n`);
    return [...counts].filter(([, count]) => count === 0).map(([id]) => `gateway ${id} served nothing`);
  });
  // Each load phase shops as a customer of its own, well inside the per-customer unit budget.
  await step('kill a gateway and an orders container under idempotent load', async () =>
    killsUnderLoad(api, project, await createShopper(api, project, LOAD_STOCK)),
  );
  await step('SIGTERM a catalog and an orders container under load: they drain and exit 0', async () =>
    servicesDrainUnderLoad(api, project, await createShopper(api, project, LOAD_STOCK)),
  );
  await step('a process dying inside its container comes back by itself', () => processDeathRestarts(project));
  await step('SIGTERM drains a gateway’s in-flight requests and exits 0', () => drainsOnSigterm(project, shopper));
}

async function main(): Promise<void> {
  const project = await ComposeProject.create(ROOT_DIR, { httpPort: await freePort(), natsPort: await freePort() });
  process.stdout.write(
    `compose project ${project.name} (${project.cliName}), http 127.0.0.1:${project.settings.httpPort}\n`,
  );
  let failure: Error | undefined;
  try {
    await exercise(project);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    const logs = await project.compose(['logs', '--no-color', '--tail', '40'], 60_000);
    process.stdout.write(`\n-- last log lines --\n${logs.stdout.slice(-20_000)}\n`);
  }
  try {
    await step('down -v: nothing left behind', async () => {
      await project.compose(['down', '-v', '--remove-orphans', '-t', '20'], 300_000);
      return (await project.leftovers()).map((what) => `left behind: ${what}`);
    });
  } finally {
    project.dispose();
  }
  if (failure) {
    throw failure;
  }
  process.stdout.write('\ncompose test: every step held\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`\ncompose test FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
