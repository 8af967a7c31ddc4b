import { Client } from 'pg';

export type BackendName = 'auth' | 'catalog' | 'orders';
const BACKENDS: readonly BackendName[] = ['auth', 'catalog', 'orders'];

/** The bench's own databases: never a developer's bazaar_* ones. */
export const BENCH_DATABASE_NAMES: Record<BackendName, string> = {
  auth: 'bazaar_bench_auth',
  catalog: 'bazaar_bench_catalog',
  orders: 'bazaar_bench_orders',
};

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops and recreates the three databases, so every run starts from the same empty state (same
 * table sizes, same index bloat, no orders of an earlier run): runs stay comparable. They are left
 * in place afterwards, for inspection; the next run drops them.
 */
export async function recreateBenchDatabases(
  adminUrl: string,
  names: Record<BackendName, string> = BENCH_DATABASE_NAMES,
): Promise<Record<BackendName, string>> {
  await withClient(adminUrl, async (admin) => {
    for (const name of Object.values(names)) {
      // WITH (FORCE): a killed earlier run may have left connections behind.
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
    }
  });
  return Object.fromEntries(BACKENDS.map((backend) => [backend, databaseUrl(adminUrl, names[backend])])) as Record<
    BackendName,
    string
  >;
}

/**
 * One bench at a time per Postgres server: two would drop each other's databases, and on two
 * cores would measure each other. Held on a session advisory lock for the whole run (released
 * by Postgres if the bench dies).
 */
export async function holdBenchLock(
  adminUrl: string,
  lockName = 'bazaar-bench',
): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
    lockName,
  ]);
  if (!rows[0].locked) {
    await client.end();
    throw new Error(`Another run is using this Postgres's ${lockName} databases (advisory lock ${lockName} is held)`);
  }
  return { release: () => client.end() };
}
