import { execFile } from 'node:child_process';

/**
 * PostgreSQL in a container, for machines that have a Docker engine but no server. Only ever
 * offered when `docker info` answers (a docker CLI without an engine is common), and only ever run
 * when asked with --start-deps-in-docker.
 *
 * Postgres only: the bus is the launcher's own nats-server (the binary the tests need anyway),
 * whose authorization, credentials and store the launcher manages itself. A container would need
 * the configuration mounted and every password handed to `docker run`, and a container left from
 * an earlier run would come back with whatever it was created with (an open bus, once); that is
 * not worth it for a binary that is one `apt-get install` away.
 */

const POSTGRES = {
  name: 'bazaar-postgres',
  image: 'postgres:16-alpine',
  containerPort: 5432,
  // Local development only: the same trust setup as the machine's own server.
  env: ['POSTGRES_HOST_AUTH_METHOD=trust'],
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

function runArgs(hostPort: number): string[] {
  const env = POSTGRES.env.flatMap((entry) => ['-e', entry]);
  const publish = ['-p', `127.0.0.1:${hostPort}:${POSTGRES.containerPort}`];
  return ['run', '-d', '--name', POSTGRES.name, ...publish, ...env, POSTGRES.image];
}

export function postgresDockerRunCommand(hostPort: number): string {
  return ['docker', ...runArgs(hostPort)].join(' ');
}

/** Restarts the container of an earlier run if there is one, else creates it. */
export async function startPostgresInDocker(hostPort: number): Promise<void> {
  if ((await run(['start', POSTGRES.name], 30_000)).ok) {
    return;
  }
  const created = await run(runArgs(hostPort), 300_000);
  if (!created.ok) {
    throw new Error(`Could not start ${POSTGRES.name} in Docker: ${created.output}`);
  }
}
