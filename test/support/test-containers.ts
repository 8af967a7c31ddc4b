/**
 * The integration and end-to-end tiers run Postgres and NATS in containers when a container
 * engine answers, with the images docker-compose.yml names (one list of tags to keep current), and
 * on the machine's own servers otherwise.
 *
 * Ryuk, testcontainers' reaper, is an image no registry here can serve; it is off, and these
 * helpers do its job: every container carries the pid of the test process that started it, and
 * each run first removes the containers of test processes that are gone (a crash, a kill -9).
 *
 * Imported by jest's globalSetup too: relative imports only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

const COMPOSE_FILE = join(__dirname, '..', '..', 'docker-compose.yml');

/** The tag docker-compose.yml runs for `name` (postgres, nats). */
export function composeImage(name: 'postgres' | 'nats'): string {
  const found = new RegExp(`image:\\s*(${name}:\\S+)`).exec(readFileSync(COMPOSE_FILE, 'utf8'));
  if (!found) {
    throw new Error(`docker-compose.yml names no ${name} image`);
  }
  return found[1];
}

export const TEST_CONTAINER_LABEL = 'bazaar.test-pid';

export function testContainerLabels(): Record<string, string> {
  return { [TEST_CONTAINER_LABEL]: String(process.pid) };
}

/** Set by globalSetup for every worker: whether suites start their NATS servers as containers. */
export function containersInUse(): boolean {
  return process.env.TEST_CONTAINERS === 'true';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the test containers whose test process is gone. */
export function removeOrphanedTestContainers(): number {
  const listing = execFileSync(
    'docker',
    [
      'ps',
      '-a',
      '--filter',
      `label=${TEST_CONTAINER_LABEL}`,
      '--format',
      `{{.ID}} {{.Label "${TEST_CONTAINER_LABEL}"}}`,
    ],
    { encoding: 'utf8' },
  );
  const orphans = listing
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '))
    .filter(([, pid]) => !alive(Number(pid)))
    .map(([id]) => id);
  if (orphans.length > 0) {
    execFileSync('docker', ['rm', '-f', '-v', ...orphans], { stdio: 'ignore' });
  }
  return orphans.length;
}

/** Synchronous, for process 'exit' handlers: a suite that crashes must not leave its container running. */
export function removeContainerNow(id: string): void {
  try {
    execFileSync('docker', ['rm', '-f', '-v', id], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}
