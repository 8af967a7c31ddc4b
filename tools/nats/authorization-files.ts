import { join } from 'node:path';

/** Where the rendered authorization block is committed: beside each server configuration that includes it. */
export function authorizationFiles(rootDir: string): string[] {
  return [join(rootDir, 'deploy/nats/authorization.conf'), join(rootDir, 'k8s/components/nats/authorization.conf')];
}
