import cluster, { Worker } from 'node:cluster';
import { join } from 'node:path';
import { Replica } from './replica';
import { replicaNodeFlags } from './replica-node-flags';
import { GatewayDefinition } from './services';

export interface GatewayWorkerSpec {
  definition: GatewayDefinition;
  index: number;
  port: number;
  /** NATS_URL, NATS_USER and NATS_PASSWORD of the gateway's identity on the bus. */
  busEnv: Record<string, string>;
  extraEnv: Record<string, string>;
  /** `node` flags of the workers (--node-options); the launcher's own (tsx's loader) never reach them. */
  nodeArgs: readonly string[];
}

export interface GatewayWorker {
  replica: Replica;
  /** Resolves when the worker's HTTP server accepts connections on the shared port. */
  listening: Promise<void>;
}

let primaryConfigured = false;

/**
 * Gateway replicas are cluster workers and the launcher is their primary: it owns the listening
 * socket, which the workers share. (Separate processes could share the port with `reusePort`, but
 * only on Node ≥ 22.12 and Linux, and the kernel would then pick the replica by connection hash;
 * the cluster behaves the same wherever the launcher runs.)
 * `silent` gives each worker its own stdout/stderr pipes, so their lines can be prefixed separately;
 * `execArgv` is set explicitly (--node-options only), so the launcher's tsx loader stays out of the workers.
 */
export function forkGatewayWorker(spec: GatewayWorkerSpec, rootDir: string): GatewayWorker {
  if (!primaryConfigured) {
    // The workers accept from the shared socket themselves. With the default round-robin, the
    // primary accepts and hands each connection over; a worker killed (SIGKILL) before acknowledging
    // a handover strands that connection in the primary, neither closed nor passed on, and its
    // client hangs until its own timeout (found by npm run chaos). This way a dying worker's
    // connections are reset by the kernel, as a killed pod's are, and the others keep accepting.
    // The kernel spreads connections less evenly than round-robin (roughly 80/20 on two workers).
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    cluster.setupPrimary({
      exec: join(rootDir, spec.definition.main),
      execArgv: [...replicaNodeFlags('gateway'), ...spec.nodeArgs],
      silent: true,
      cwd: rootDir,
    });
    primaryConfigured = true;
  }
  const id = `gateway-${spec.index}`;
  const worker: Worker = cluster.fork({
    ...spec.extraEnv,
    PORT: String(spec.port),
    ...spec.busEnv,
    REPLICA_ID: id,
    LOG_FORMAT: 'json',
  });
  const replica = new Replica(id, 'gateway', worker.process, spec.port);
  const listening = new Promise<void>((resolve) => worker.once('listening', () => resolve()));
  return { replica, listening };
}
