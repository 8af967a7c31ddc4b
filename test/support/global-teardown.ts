import { Client } from 'pg';

/** Stops the Postgres container, if one was started, and drops any database a crashed suite left behind. */
export default async function globalTeardown(): Promise<void> {
  const container = (globalThis as unknown as Record<string, { stop(): Promise<unknown> } | undefined>)
    .__bazaarPostgres;
  if (container) {
    await container.stop();
    return;
  }
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  const runId = process.env.TEST_RUN_ID;
  if (!adminUrl || !runId) {
    return;
  }
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const leftovers = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `bt_${runId}_%`,
    ]);
    for (const { datname } of leftovers.rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
