import { Replica } from './replica';
import { bold, paint, print } from './terminal';

/**
 * What the launcher prints once the system is verified: a summary for people, then one line
 * `BAZAAR_READY {json}` for programs (tests, the chaos tool), always uncoloured and on one line.
 */

export const READY_MARKER = 'BAZAAR_READY';

export interface ReadyReplica {
  id: string;
  service: string;
  pid: number;
  /** The gateway's shared HTTP port, or the replica's own ops port. */
  port: number;
  health: string;
  metrics: string;
}

export interface ReadyPayload {
  launcherPid: number;
  startupMs: number;
  urls: { api: string; docs: string; metrics: string; health: string };
  natsUrl: string;
  replicas: ReadyReplica[];
}

export function buildReadyPayload(
  replicas: readonly Replica[],
  gatewayPort: number,
  natsUrl: string,
  startupMs: number,
): ReadyPayload {
  const base = `http://127.0.0.1:${gatewayPort}`;
  return {
    launcherPid: process.pid,
    startupMs,
    urls: { api: `${base}/v1`, docs: `${base}/docs`, metrics: `${base}/metrics`, health: `${base}/health/ready` },
    natsUrl,
    replicas: replicas.map(replicaPayload),
  };
}

export function replicaPayload(replica: Replica): ReadyReplica {
  return {
    id: replica.id,
    service: replica.service,
    pid: replica.pid,
    port: replica.port,
    health: `http://127.0.0.1:${replica.port}/health/ready`,
    metrics: `http://127.0.0.1:${replica.port}/metrics`,
  };
}

export function printReady(payload: ReadyPayload, silentReplicas: readonly string[]): void {
  const width = Math.max(...payload.replicas.map((replica) => replica.id.length));
  const rows = payload.replicas.map((replica) => {
    const where =
      replica.service === 'gateway'
        ? `http ${replica.port} (shared)`
        : `ops  ${replica.metrics.replace(/\/metrics$/, '')}`;
    const note = silentReplicas.includes(replica.id) ? paint('yellow', '  did not answer a NATS ping yet') : '';
    return `    ${replica.id.padEnd(width)}  pid ${String(replica.pid).padEnd(7)} ${where}${note}`;
  });
  print(
    [
      '',
      bold(paint('green', `Bazaar is up (${(payload.startupMs / 1000).toFixed(1)} s)`)),
      `  API      ${payload.urls.api}`,
      `  Docs     ${payload.urls.docs}`,
      `  Metrics  ${payload.urls.metrics}   (each service: <ops>/metrics, /health/ready)`,
      `  NATS     ${payload.natsUrl}`,
      '  Replicas',
      ...rows,
      `  Launcher pid ${payload.launcherPid}. Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
  print(`${READY_MARKER} ${JSON.stringify(payload)}`);
}
