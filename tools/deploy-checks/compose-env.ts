/**
 * Prints the environment docker-compose.yml gives an app (defaults applied), NUL-separated
 * KEY=VALUE, so image-build.sh starts the built app with the same settings a compose stack would:
 *   tsx tools/deploy-checks/compose-env.ts orders
 */
import { isAppName } from './app-config';
import { loadCompose, serviceEnvironment } from './compose';

const app = process.argv[2];
if (!isAppName(app)) {
  process.stderr.write(`usage: compose-env.ts gateway|auth|catalog|orders (got ${String(app)})\n`);
  process.exit(2);
}
const environment = serviceEnvironment(loadCompose().services[app]);
process.stdout.write(
  Object.entries(environment)
    .map(([name, value]) => `${name}=${value}\0`)
    .join(''),
);
