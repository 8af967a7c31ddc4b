/**
 * `npm run migration:run -- <service>`: applies pending migrations to that service's database,
 * exactly as a deployment's migration Job does (`main.js --migrate-only`, under the advisory lock).
 */
import { spawnSync } from 'node:child_process';
import { ensureDatabase } from '../../libs/common/src/database/ensure-database';
import { compiled, databaseUrlOf, parseService } from './service-database';

async function main(): Promise<void> {
  const service = parseService(process.argv[2]);
  const databaseUrl = databaseUrlOf(service);
  await ensureDatabase(databaseUrl);
  const result = spawnSync(process.execPath, [compiled(service, 'main.js'), '--migrate-only'], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty' },
  });
  process.exit(result.status ?? 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
