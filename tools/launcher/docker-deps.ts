import { execFile } from 'node:child_process';
import { Dependency } from './dependency-check';

/**
 * PostgreSQL and NATS in containers, for machines that have a Docker engine but not the servers.
 * Only ever offered when `docker info` answers (a docker CLI without an engine is common), and
 * only ever run when asked with --start-deps-in-docker.
 */

interface ContainerRecipe {
  name: string;
  image: string;
  containerPort: number;
  env: string[];
  args: string[];
}

const RECIPES: Record<Dependency, ContainerRecipe> = {
  postgres: {
    name: 'bazaar-postgres',
    image: 'postgres:16-alpine',
    containerPort: 5432,
    // Local development only: the same trust setup as the machine's own server.
    env: ['POSTGRES_HOST_AUTH_METHOD=trust'],
    args: [],
  },
  nats: { name: 'bazaar-nats', image: 'nats:2.10-alpine', containerPort: 4222, env: [], args: ['-js'] },
};

function run(args: string[], timeoutMs: number): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile('docker', args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ ok: !error, output: `${stdout}${stderr}`.trim() || (error?.message ?? '') });
    });
  });
}

export async function dockerEngineAnswers(): Promise<boolean> {
  return (await run(['info', '--format', '{{.ServerVersion}}'], 5000)).ok;
}

function runArgs(dependency: Dependency, hostPort: number): string[] {
  const recipe = RECIPES[dependency];
  const env = recipe.env.flatMap((entry) => ['-e', entry]);
  const publish = ['-p', `127.0.0.1:${hostPort}:${recipe.containerPort}`];
  return ['run', '-d', '--name', recipe.name, ...publish, ...env, recipe.image, ...recipe.args];
}

export function dockerRunCommand(dependency: Dependency, hostPort: number): string {
  return ['docker', ...runArgs(dependency, hostPort)].join(' ');
}

/** Restarts the container of an earlier run if there is one, else creates it. */
export async function startInDocker(dependency: Dependency, hostPort: number): Promise<void> {
  if ((await run(['start', RECIPES[dependency].name], 30_000)).ok) {
    return;
  }
  const created = await run(runArgs(dependency, hostPort), 300_000);
  if (!created.ok) {
    throw new Error(`Could not start ${RECIPES[dependency].name} in Docker: ${created.output}`);
  }
}
