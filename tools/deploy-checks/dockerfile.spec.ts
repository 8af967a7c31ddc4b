import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { APPS, ENV_CLASSES } from './app-config';
import { finalStage, imageEnv, Instruction, loadDockerfile } from './dockerfile';
import { isExcluded, loadDockerignore } from './dockerignore';
import { REPO_ROOT } from './kustomize';

const dockerfile = loadDockerfile();
const runtime = finalStage(dockerfile);
const build = dockerfile.stages.find((stage) => stage.name === 'build')!;

function instructions(keyword: string, stage = runtime): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** The JavaScript the HEALTHCHECK runs with `node -e`. */
function healthcheckScript(): string {
  const healthcheck = instructions('HEALTHCHECK')[0]?.args ?? '';
  const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3).trim()) as string[];
  expect(command.slice(0, 2)).toEqual(['node', '-e']);
  return command[2];
}

function runHealthcheck(env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', healthcheckScript()], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    child.on('exit', (code) => resolve(code));
  });
}

async function serveStatus(status: number): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/health/ready' ? status : 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('Dockerfile', () => {
  it('builds on a pinned, slim Node LTS image that satisfies the engines range', () => {
    const base = dockerfile.globalArgs.NODE_IMAGE;

    expect(base).toMatch(/^node:(22|24)\.\d+\.\d+-(\w+-)?slim$/);
    const earlier = (index: number): (string | undefined)[] =>
      dockerfile.stages.slice(0, index).map((stage) => stage.name);
    expect(
      dockerfile.stages.every((stage, index) => stage.from === '${NODE_IMAGE}' || earlier(index).includes(stage.from)),
    ).toBe(true);
  });

  it('needs no registry but the base image and npm: no syntax directive, no BuildKit-only mounts', () => {
    const text = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

    expect(text).not.toMatch(/^#\s*syntax=/m);
    expect(text).not.toMatch(/^RUN\s+--mount/m);
  });

  it('installs from the lockfile, builds one app and keeps only what it loads', () => {
    const steps = dockerfile.stages
      .flatMap((stage) => stage.instructions.map((i) => `${i.keyword} ${i.args}`))
      .join('\n');

    expect(steps).toMatch(/RUN .*npm ci/);
    expect(
      instructions('RUN', build)
        .map((i) => i.args)
        .join('\n'),
    ).toMatch(/nest build "\$APP"[\s\S]*tools\/image\/trace-runtime\.ts "\$APP" \/out\/app/);
  });

  it('runs production code only, as a non-root user, with exec-form CMD', () => {
    const user = instructions('USER')[0]?.args ?? '';
    const cmd = instructions('CMD')[0]?.args ?? '';

    expect(imageEnv('orders', dockerfile)).toMatchObject({ NODE_ENV: 'production', BAZAAR_APP: 'orders' });
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/main.js']);
    expect(instructions('COPY').every((copy) => copy.args.startsWith('--from=build '))).toBe(true);
    expect(instructions('COPY').map((copy) => copy.args.split(/\s+/)[1])).toEqual(['/out/app']);
  });

  describe('HEALTHCHECK', () => {
    it("probes each app's default port when none is configured", () => {
      const defaults = /\{\s*gateway:\s*(\d+),\s*auth:\s*(\d+),\s*catalog:\s*(\d+),\s*orders:\s*(\d+)\s*\}/.exec(
        healthcheckScript(),
      );
      const expected = APPS.map((app) => {
        const config = new ENV_CLASSES[app]() as { PORT?: number; OPS_PORT?: number };
        return String(app === 'gateway' ? config.PORT : config.OPS_PORT);
      });

      expect(defaults?.slice(1)).toEqual(expected);
    });

    it('is healthy only while /health/ready answers 200, on OPS_PORT for services and PORT for the gateway', async () => {
      const ready = await serveStatus(200);
      const notReady = await serveStatus(503);
      try {
        await expect(runHealthcheck({ BAZAAR_APP: 'catalog', OPS_PORT: String(ready.port) })).resolves.toBe(0);
        await expect(runHealthcheck({ BAZAAR_APP: 'gateway', PORT: String(ready.port) })).resolves.toBe(0);
        await expect(runHealthcheck({ BAZAAR_APP: 'catalog', OPS_PORT: String(notReady.port) })).resolves.toBe(1);
        await expect(
          runHealthcheck({ BAZAAR_APP: 'gateway', OPS_PORT: String(ready.port), PORT: String(notReady.port) }),
        ).resolves.toBe(1);
      } finally {
        ready.server.close();
        notReady.server.close();
      }
      await expect(runHealthcheck({ BAZAAR_APP: 'orders', OPS_PORT: String(ready.port) })).resolves.toBe(1);
    });
  });

  describe('.dockerignore', () => {
    const patterns = loadDockerignore();

    it('sends what the build copies', () => {
      const copied = ['package.json', 'package-lock.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json'];
      const sources = [
        'apps/orders/src/main.ts',
        'apps/auth/tsconfig.app.json',
        'libs/common/src/messaging/index.ts',
        'libs/contracts/src/index.ts',
      ];

      expect([...copied, ...sources].filter((path) => isExcluded(path, patterns))).toEqual([]);
    });

    it('keeps secrets, dependencies, build output and tests out of the context', () => {
      const unwanted = [
        '.env',
        '.local/jwt/signing-keys.pem',
        'node_modules/pg/package.json',
        'dist/apps/auth/main.js',
        '.git/HEAD',
        'k8s/base/gateway.yaml',
        'apps/orders/src/orders.service.spec.ts',
        'apps/orders/test/orders.int-spec.ts',
      ];

      expect(unwanted.filter((path) => !isExcluded(path, patterns))).toEqual([]);
    });
  });

  it('copies only files that exist in the repository', () => {
    const sources = dockerfile.stages
      .flatMap((stage) => instructions('COPY', stage))
      .filter((copy) => !copy.args.startsWith('--from='))
      .flatMap((copy) => copy.args.split(/\s+/).slice(0, -1));

    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !existsSync(join(REPO_ROOT, source)))).toEqual([]);
  });
});
