import { Client } from 'pg';
import { databaseUrl } from '../bench/bench-databases';

export type Backend = 'auth' | 'catalog' | 'orders';
export const BACKENDS: readonly Backend[] = ['auth', 'catalog', 'orders'];

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
 * Drops and recreates the chaos run's own databases (`<prefix>_auth`, …): every run starts empty,
 * so the invariants read exactly what this run did. Left in place afterwards, for inspection.
 */
export async function recreateDatabases(adminUrl: string, prefix: string): Promise<Record<Backend, string>> {
  await withClient(adminUrl, async (admin) => {
    for (const backend of BACKENDS) {
      // WITH (FORCE): a killed earlier run may have left connections (or replicas) behind.
      await admin.query(`DROP DATABASE IF EXISTS "${prefix}_${backend}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${prefix}_${backend}"`);
    }
  });
  return Object.fromEntries(BACKENDS.map((b) => [b, databaseUrl(adminUrl, `${prefix}_${b}`)])) as Record<
    Backend,
    string
  >;
}

/**
 * One chaos run at a time per Postgres server (the faults would hit each other's stacks, and two
 * runs would drop each other's databases): a session advisory lock held for the whole run.
 */
export async function holdChaosLock(adminUrl: string, name: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
    name,
  ]);
  if (!rows[0].locked) {
    await client.end();
    throw new Error(`Another chaos run holds the advisory lock ${name} on this Postgres`);
  }
  return { release: () => client.end() };
}

/** One query on a database, outside the stack (the invariants read the databases directly, not through the proxies). */
export async function query<T extends Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return withClient(url, async (client) => (await client.query<T>(sql, params)).rows);
}
