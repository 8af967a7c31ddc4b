import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorizationFiles } from './authorization-files';
import { renderAuthorization } from './render-authorization';

/** `npm run nats:config`: renders the bus policy into the committed NATS authorization files. */
const rootDir = join(__dirname, '..', '..');
const rendered = renderAuthorization();
for (const file of authorizationFiles(rootDir)) {
  writeFileSync(file, rendered);
  process.stdout.write(`wrote ${file}\n`);
}
