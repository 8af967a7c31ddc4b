import { setTimeout as sleep } from 'node:timers/promises';
import { httpStatus } from '../launcher/readiness';
import { BACKENDS as LAUNCHED_BACKENDS } from '../launcher/services';
import { verifySystem } from '../launcher/verify-system';
import { ChaosStack } from './chaos-stack';
import { ServiceName } from './replica-set';

export interface HealthReport {
  healthy: boolean;
  /** Why not, when not: the replicas that aren't ready or don't answer over NATS. */
  problems: string[];
}

/** One look: every replica's /health/ready, the gateway's, and a NATS ping answered by every backend replica. */
export async function checkHealth(stack: ChaosStack): Promise<HealthReport> {
  const problems: string[] = [];
  for (const replica of stack.replicas.dead()) {
    problems.push(`${replica.id} (pid ${replica.pid}) is not running`);
  }
  const backends = stack.replicas.all().filter((replica) => replica.service !== 'gateway');
  const statuses = await Promise.all(
    backends.map(async (replica) => [replica, await httpStatus(replica.health)] as const),
  );
  for (const [replica, status] of statuses.filter(([, status]) => status !== 200)) {
    problems.push(`${replica.id} /health/ready: ${status}`);
  }
  const gatewayStatus = await httpStatus(`${stack.gatewayUrl}/health/ready`);
  if (gatewayStatus !== 200) {
    problems.push(`gateway /health/ready: ${gatewayStatus}`);
  }
  if (problems.length === 0) {
    try {
      const report = await verifySystem({
        bus: { url: stack.nats.url, credentials: stack.nats.credentials, tls: undefined },
        targets: LAUNCHED_BACKENDS.map((definition) => ({
          service: definition.name,
          subject: definition.pingSubject,
          replicaIds: stack.replicas.of(definition.name).map((replica) => replica.id),
        })),
        gatewayReadyUrl: `${stack.gatewayUrl}/health/ready`,
        signal: AbortSignal.timeout(30_000),
      });
      problems.push(...report.silent.map((id) => `${id} does not answer its NATS ping`));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { healthy: problems.length === 0, problems };
}

/** Polls until the whole stack is healthy, or `timeoutMs` passed (then answers the last problems). */
export async function waitHealthy(stack: ChaosStack, timeoutMs: number): Promise<HealthReport & { at: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await checkHealth(stack);
    if (report.healthy || Date.now() > deadline) {
      return { ...report, at: Date.now() };
    }
    await sleep(250);
  }
}

/**
 * Replicas that died on their own (not by the run's hand) are a failure to report; like an
 * orchestrator, the run then starts replacements so the next faults meet a whole stack.
 */
export async function replaceDead(stack: ChaosStack): Promise<string[]> {
  const dead = stack.replicas.dead();
  for (const replica of dead) {
    stack.replicas.forget(replica);
    await stack.spawn(replica.service as ServiceName);
  }
  return dead.map((replica) => `${replica.id} (pid ${replica.pid}) died on its own`);
}
