import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SERVICES = ['auth', 'catalog', 'orders'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const ROOT = join(__dirname, '..', '..');

export function parseService(value: string | undefined): ServiceName {
  if (!SERVICES.includes(value as ServiceName)) {
    throw new Error(`Name a service: one of ${SERVICES.join(', ')}`);
  }
  return value as ServiceName;
}

/** `<SERVICE>_DATABASE_URL`, then `DATABASE_URL`'s server with the service's default database. */
export function databaseUrlOf(service: ServiceName): string {
  const explicit = process.env[`${service.toUpperCase()}_DATABASE_URL`];
  if (explicit) {
    return explicit;
  }
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/bazaar_${service}`;
  return url.toString();
}

export function compiled(service: ServiceName, file: string): string {
  const path = join(ROOT, 'dist', 'apps', service, 'apps', service, 'src', file);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run build\` first`);
  }
  return path;
}
