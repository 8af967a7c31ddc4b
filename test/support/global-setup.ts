/**
 * Chooses where integration and e2e tests find Postgres and NATS: containers when a container
 * runtime answers (test-containers.ts: the compose file's images, Ryuk off, orphans removed), the
 * machine's own servers otherwise (DATABASE_URL / 127.0.0.1:5432, the nats-server binary).
 * Postgres is one container (tuned for speed: fsync, synchronous_commit and full_page_writes off)
 * in which each suite creates its own database; NATS is never shared: each suite starts a private
 * server (nats-server.ts), a container or a process. TEST_USE_CONTAINERS=false forces the local path.
 *
 * Jest's globalSetup gets no moduleNameMapper: import leaf files by relative path only.
 */
import { Client } from 'pg';
import { composeImage, removeOrphanedTestContainers, testContainerLabels } from './test-containers';

const LOCAL_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function containerRuntimeAvailable(): Promise<boolean> {
  if (process.env.TEST_USE_CONTAINERS === 'false') {
    return false;
  }
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startPostgresContainer(): Promise<string> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(composeImage('postgres'))
    .withLabels(testContainerLabels())
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    .start();
  (globalThis as Record<string, unknown>).__bazaarPostgres = container;
  return container.getConnectionUri();
}

async function assertReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `Tests need PostgreSQL: none answered at ${url.replace(/\/\/[^@]*@/, '//***@')} (${String(error)}). ` +
        'Start it (see README, "Running the tests") or set DATABASE_URL.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_PG_ADMIN_URL) {
    return;
  }
  const useContainers = await containerRuntimeAvailable();
  process.env.TEST_CONTAINERS = String(useContainers);
  if (useContainers) {
    removeOrphanedTestContainers();
  }
  const adminUrl = useContainers ? await startPostgresContainer() : (process.env.DATABASE_URL ?? LOCAL_ADMIN_URL);
  await assertReachable(adminUrl);
  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_RUN_ID ??= `${Date.now().toString(36)}${process.pid}`;
}
