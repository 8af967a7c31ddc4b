import { setTimeout as sleep } from 'node:timers/promises';
import { heapBudgetMib, REPLICA_MEMORY_LIMIT_MIB } from '../launcher/replica-node-flags';
import { ComposeProject, run } from './compose-cli';

/** What the manifests promise about every app container, checked on the running ones. */

export const APP_SERVICES = ['gateway', 'auth', 'catalog', 'orders'] as const;

interface Inspected {
  Config: { User: string };
  HostConfig: { ReadonlyRootfs: boolean; Memory: number };
  State: { Pid: number; ExitCode: number; Running: boolean; Health?: { Status: string } };
  RestartCount: number;
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

export async function inspect(id: string): Promise<Inspected> {
  const result = await run('docker', ['inspect', id]);
  if (result.code !== 0) {
    throw new Error(`docker inspect ${id}: ${result.stderr}`);
  }
  return (JSON.parse(result.stdout) as Inspected[])[0];
}

export function containerIp(container: Inspected): string {
  return Object.values(container.NetworkSettings.Networks)[0].IPAddress;
}

/** V8's heap limit, in MiB, of a `node` started in the container as the app was (same image env, same cgroup). */
const HEAP_LIMIT_SCRIPT = "process.stdout.write(String(require('v8').getHeapStatistics().heap_size_limit / 2 ** 20))";
/** V8's heap limit is the old space plus the young generation (three 4 MiB semi-spaces' worth) and rounding. */
const YOUNG_GENERATION_SLACK_MIB = 32;

/**
 * uid 1000 (image and process), read-only root file system, HEALTHCHECK healthy, the memory limit of
 * its Kubernetes container and half of it for V8's heap: problems found.
 */
export async function checkAppContainers(project: ComposeProject): Promise<string[]> {
  const problems: string[] = [];
  for (const service of APP_SERVICES) {
    const ids = await project.containers(service);
    if (ids.length < 2) {
      problems.push(`${service}: ${ids.length} replica(s) running, expected at least 2`);
    }
    for (const id of ids) {
      const container = await inspect(id);
      const uid = (await run('docker', ['exec', id, 'node', '-e', 'process.stdout.write(String(process.getuid()))']))
        .stdout;
      const where = `${service} ${id.slice(0, 12)}`;
      if (container.Config.User !== '1000:1000' || uid !== '1000') {
        problems.push(`${where}: runs as ${container.Config.User || 'root'} (process uid ${uid})`);
      }
      if (!container.HostConfig.ReadonlyRootfs) {
        problems.push(`${where}: root file system is writable`);
      }
      const written = await run('docker', ['exec', id, 'node', '-e', "require('fs').writeFileSync('/app/x', 'x')"]);
      if (written.code === 0) {
        problems.push(`${where}: could write into /app`);
      }
      const limitMib = container.HostConfig.Memory / 2 ** 20;
      if (limitMib !== REPLICA_MEMORY_LIMIT_MIB[service]) {
        problems.push(`${where}: memory limit ${limitMib} MiB, expected ${REPLICA_MEMORY_LIMIT_MIB[service]}`);
      }
      const heapLimitMib = Number((await run('docker', ['exec', id, 'node', '-e', HEAP_LIMIT_SCRIPT])).stdout);
      const budget = heapBudgetMib(service);
      if (!(heapLimitMib >= budget && heapLimitMib <= budget + YOUNG_GENERATION_SLACK_MIB)) {
        problems.push(
          `${where}: V8 heap limit ${heapLimitMib} MiB, expected the ${budget} MiB budget plus the young space`,
        );
      }
      if (container.State.Health?.Status !== 'healthy') {
        problems.push(`${where}: health ${container.State.Health?.Status ?? 'none'}`);
      }
    }
  }
  return problems;
}

export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    }
    await sleep(500);
  }
}
