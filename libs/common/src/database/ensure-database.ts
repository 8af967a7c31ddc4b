import { Client } from 'pg';

const DUPLICATE_DATABASE = '42P04';

/** Creates the database named in `databaseUrl` if it doesn't exist (connecting to `postgres` to do it). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,63}$/.test(name)) {
    throw new Error(`Refusing to create a database with an unusual name: ${JSON.stringify(name)}`);
  }
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) {
      return false;
    }
    await admin.query(`CREATE DATABASE "${name}"`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === DUPLICATE_DATABASE) {
      return false;
    }
    throw error;
  } finally {
    await admin.end();
  }
}
