import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './kustomize';

export const COMPOSE_PATH = join(REPO_ROOT, 'docker-compose.yml');

export interface DependsOn {
  condition?: string;
  [key: string]: unknown;
}

export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, DependsOn> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  volumes?: string[];
  ports?: (string | number)[];
  command?: string[] | string;
  deploy?: { replicas?: number | string };
  container_name?: string;
  [key: string]: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Compose variable substitution: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
 * ${VAR:?error}, ${VAR?error}, ${VAR:+alternative}.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (whole === '$$') {
        return '$';
      }
      const name = (braced ?? bare)!;
      const value = env[name];
      const set = operator?.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
      const kind = operator?.replace(':', '');
      if (kind === '-') {
        return set ? value! : argument!;
      }
      if (kind === '?') {
        if (!set) {
          throw new Error(`${name}: ${argument || 'required'}`);
        }
        return value!;
      }
      if (kind === '+') {
        return set ? argument! : '';
      }
      return value ?? '';
    },
  );
}

function interpolateDeep(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') {
    return interpolate(value, env);
  }
  if (Array.isArray(value)) {
    return value.map((item) => interpolateDeep(item, env));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, env)]));
  }
  return value;
}

/** The compose file as `docker compose` sees it with `env` as the shell environment (YAML merge keys resolved). */
export function loadCompose(env: Record<string, string | undefined> = {}, path = COMPOSE_PATH): ComposeFile {
  const raw = parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
  return interpolateDeep(raw, env) as ComposeFile;
}

/** A service's environment as strings, as the container receives it. */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [name, value === null ? '' : String(value)]),
  );
}

export function dependsOn(service: ComposeService): Record<string, DependsOn> {
  const entries = service.depends_on ?? {};
  return Array.isArray(entries) ? Object.fromEntries(entries.map((name) => [name, {}])) : entries;
}

/** "volume:/path[:mode]" entries of a service, split. */
export function volumeMounts(service: ComposeService): { source: string; target: string; readOnly: boolean }[] {
  return (service.volumes ?? []).map((entry) => {
    const [source, target, mode] = entry.split(':');
    return { source, target, readOnly: mode === 'ro' };
  });
}
