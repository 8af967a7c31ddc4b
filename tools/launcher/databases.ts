import { ensureDatabase } from '../../libs/common/src/database/ensure-database';
import { databaseName, redactUrl } from './addresses';
import { BackendName } from './services';
import { say } from './terminal';

/**
 * Each service owns its database; the launcher only makes sure it exists. Creating it is the one
 * thing the services can't do themselves (they connect to it); the schema is theirs to migrate.
 */
export async function ensureServiceDatabases(urls: Record<BackendName, string>): Promise<void> {
  for (const [service, url] of Object.entries(urls)) {
    try {
      const created = await ensureDatabase(url);
      say(`${service}: database ${databaseName(url)} ${created ? 'created' : 'exists'}`);
    } catch (error) {
      throw new Error(`Could not create the ${service} database at ${redactUrl(url)}: ${(error as Error).message}`);
    }
  }
}
