/**
 * `npm run migration:generate -- <service> <Name>`: diffs that service's entities against its
 * (migrated) database and writes apps/<service>/src/database/migrations/<timestamp>-<Name>.ts.
 * Add the new class to the service's schema list afterwards: migrations are listed, not globbed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compiled, databaseUrlOf, parseService, ROOT } from './service-database';

const service = parseService(process.argv[2]);
const name = process.argv[3];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('Usage: npm run migration:generate -- <service> <PascalCaseName>');
  process.exit(1);
}
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: ROOT });
if (build.status !== 0) {
  process.exit(build.status ?? 1);
}
const result = spawnSync(
  process.execPath,
  [
    join(ROOT, 'node_modules', 'typeorm', 'cli.js'),
    'migration:generate',
    '--pretty',
    '-d',
    compiled(service, 'database/data-source.js'),
    join(ROOT, 'apps', service, 'src', 'database', 'migrations', name),
  ],
  { stdio: 'inherit', env: { ...process.env, DATABASE_URL: databaseUrlOf(service) } },
);
if (result.status === 0) {
  console.log(`Now list the new migration in apps/${service}/src/database/${service}.schema.ts`);
}
process.exit(result.status ?? 1);
