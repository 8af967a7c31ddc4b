import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { APPS } from './app-config';
import { COMPOSE_PATH, ComposeFile, dependsOn, loadCompose, serviceEnvironment } from './compose';
import { checkCompose } from './compose-rules';
import { loadDockerfile } from './dockerfile';
import { REPO_ROOT } from './kustomize';

const hasDockerCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

function dockerComposeConfig(env: Record<string, string> = {}): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  return spawnSync('docker-compose', ['-f', COMPOSE_PATH, 'config'], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    // Only PATH from the outside: developers' shell variables must not change what CI checks.
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}

describe('docker-compose.yml', () => {
  const dockerfile = loadDockerfile();

  describe('preflight', () => {
    /** Runs the preflight container's script with what compose would give it for `env`. */
    const preflight = (env: Record<string, string>): { status: number | null; stderr: string } => {
      const service = loadCompose(env).services.preflight;
      const command = service.command as string[];
      return spawnSync(process.execPath, command.slice(1), {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', ...serviceEnvironment(service) },
      });
    };
    const realSecrets = {
      ADMIN_PASSWORD: 'a-real-admin-password',
      AUTH_DB_PASSWORD: 'real-auth',
      CATALOG_DB_PASSWORD: 'real-catalog',
      ORDERS_DB_PASSWORD: 'real-orders',
      CATALOG_CURSOR_SECRET: 'r'.repeat(40),
      ORDERS_CURSOR_SECRET: 's'.repeat(40),
    };

    it('refuses the published default secrets, naming them', () => {
      const result = preflight({});
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /ADMIN_PASSWORD, AUTH_DB_PASSWORD, .*ORDERS_CURSOR_SECRET still have their published defaults/,
      );
      expect(preflight({ ...realSecrets, ORDERS_DB_PASSWORD: '' }).stderr).toMatch(
        /Refusing to start: ORDERS_DB_PASSWORD /,
      );
    });

    it('lets them through for a local demo, and real secrets always', () => {
      expect(preflight({ BAZAAR_LOCAL_DEMO: 'true' }).status).toBe(0);
      expect(preflight(realSecrets).status).toBe(0);
    });

    it('comes before every service that uses a secret', () => {
      const compose = loadCompose();
      const reaches = (name: string, seen = new Set<string>()): boolean =>
        Object.keys(dependsOn(compose.services[name])).some(
          (next) => next === 'preflight' || (!seen.has(next) && seen.add(next) && reaches(next, seen)),
        );
      const users = Object.keys(compose.services).filter((name) =>
        Object.values(serviceEnvironment(compose.services[name])).some((value) => value.includes('demo-only-')),
      );

      expect(users.length).toBeGreaterThan(6);
      expect(users.filter((name) => name !== 'preflight' && !reaches(name))).toEqual([]);
    });
  });

  (hasDockerCompose ? it : it.skip)('is accepted by docker-compose 1.29 (config -q)', () => {
    const result = spawnSync('docker-compose', ['-f', COMPOSE_PATH, 'config', '-q'], {
      encoding: 'utf8',
      cwd: REPO_ROOT,
    });

    expect(`${result.status} ${result.stderr}`).toBe('0 ');
  });

  (hasDockerCompose ? it : it.skip)('reads the same environments as docker-compose does', () => {
    const theirs = parse(dockerComposeConfig().stdout) as ComposeFile;
    const ours = loadCompose();

    for (const app of APPS) {
      expect(serviceEnvironment(ours.services[app])).toEqual(serviceEnvironment(theirs.services[app]));
    }
  });

  it('gives every app an environment its config validation accepts, with the defaults', () => {
    expect(checkCompose(loadCompose(), dockerfile)).toEqual([]);
  });

  it('stays valid with the documented overrides set', () => {
    const env = {
      GATEWAY_REPLICAS: '3',
      ORDERS_REPLICAS: '4',
      LOG_LEVEL: 'debug',
      ADMIN_EMAIL: 'ops@example.org',
      ADMIN_PASSWORD: 'a-long-local-password',
      AUTH_DB_PASSWORD: 'Local-only_password.2',
      CORS_ORIGINS: 'http://localhost:5173',
    };

    expect(checkCompose(loadCompose(env), dockerfile)).toEqual([]);
  });

  it('reports a database password that would break DATABASE_URL (use URL-safe characters)', () => {
    expect(checkCompose(loadCompose({ AUTH_DB_PASSWORD: 'p@ss/word' }), dockerfile).join('\n')).toMatch(
      /auth \(compose\): the password in DATABASE_URL differs/,
    );
  });

  describe('reports', () => {
    function broken(mutate: (compose: ComposeFile) => void): string {
      const compose = loadCompose();
      mutate(compose);
      return checkCompose(compose, dockerfile).join('\n');
    }

    it.each([
      [
        'a value the app rejects',
        (c: ComposeFile) => (c.services.orders.environment!.DB_POOL_SIZE = 'lots'),
        /orders \(compose\): the app would refuse to start: DB_POOL_SIZE/,
      ],
      [
        'a misspelt variable',
        (c: ComposeFile) => (c.services.gateway.environment!.RATE_LIMT_RPM = '5'),
        /RATE_LIMT_RPM is not a setting of gateway/,
      ],
      [
        'pretty logs the image cannot produce',
        (c: ComposeFile) => (c.services.auth.environment!.LOG_FORMAT = 'pretty'),
        /LOG_FORMAT must be json/,
      ],
      [
        'a database URL with the wrong password',
        (c: ComposeFile) =>
          (c.services.catalog.environment!.DATABASE_URL =
            'postgres://catalog:nope@postgres-catalog:5432/bazaar_catalog'),
        /catalog \(compose\): the password in DATABASE_URL differs/,
      ],
      [
        'a service using another service’s database',
        (c: ComposeFile) =>
          (c.services.orders.environment!.DATABASE_URL =
            'postgres://catalog:catalog-dev-password@postgres-catalog:5432/bazaar_catalog'),
        /orders \(compose\): the host in DATABASE_URL differs/,
      ],
      [
        'a dependency without a health check',
        (c: ComposeFile) => delete c.services['postgres-auth'].healthcheck,
        /waits for postgres-auth to be healthy, but postgres-auth has no health check/,
      ],
      [
        'not waiting for NATS',
        (c: ComposeFile) => delete (c.services.catalog.depends_on as Record<string, unknown>).nats,
        /catalog \(compose\): must wait for nats/,
      ],
      ['a Compose v2 only key', (c: ComposeFile) => (c.name = 'bazaar'), /top-level "name:"/],
      [
        'an unpinned image',
        (c: ComposeFile) => (c.services.nats.image = 'nats:latest'),
        /nats: image "nats:latest" must be pinned/,
      ],
      [
        'a shared database volume',
        (c: ComposeFile) => (c.services['postgres-orders'].volumes = ['postgres-auth-data:/var/lib/postgresql/data']),
        /own volume/,
      ],
      [
        'no migration before the replicas start',
        (c: ComposeFile) => delete (c.services.orders.depends_on as Record<string, unknown>)['orders-migrate'],
        /orders \(compose\): MIGRATIONS_RUN is false, but no orders --migrate-only container/,
      ],
      [
        'a secret file outside any volume',
        (c: ComposeFile) => (c.services.auth.environment!.JWT_SIGNING_KEYS_FILE = '/etc/keys.pem'),
        /JWT_SIGNING_KEYS_FILE=\/etc\/keys.pem is not inside any mounted volume/,
      ],
    ])('%s', (_case, mutate, expected) => {
      expect(broken(mutate)).toMatch(expected);
    });
  });

  it('puts nginx in front of the gateway replicas on port 3000', () => {
    const compose = loadCompose();
    const nginx = readFileSync(join(REPO_ROOT, 'deploy', 'nginx', 'nginx.conf'), 'utf8');
    const gatewayPort = serviceEnvironment(compose.services.gateway).PORT;

    expect(compose.services.lb.ports?.map((port) => String(port).split(':').pop())).toEqual(['3000']);
    expect(nginx).toMatch(/^\s*listen 3000;/m);
    expect(nginx).toMatch(new RegExp(`^\\s*server gateway:${gatewayPort} resolve`, 'm'));
    expect(compose.services.lb.volumes).toContain('./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it('generates an Ed25519 signing key for auth once, and keeps it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bazaar-jwt-'));
    try {
      const script = String(loadCompose().services['jwt-keys'].command?.[2])
        .replaceAll('/keys/', `${dir}/`)
        .replace(/fs\.chownSync\([^)]*\);/, '');
      const run = (): string => spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout;

      expect(run()).toMatch(/generated/);
      const first = readFileSync(join(dir, 'signing-keys.pem'), 'utf8');
      expect(run()).toBe('');
      expect(readFileSync(join(dir, 'signing-keys.pem'), 'utf8')).toBe(first);
      expect(createPrivateKey(first).asymmetricKeyType).toBe('ed25519');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
