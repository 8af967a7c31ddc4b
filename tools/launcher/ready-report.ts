import { relative } from 'node:path';
import { EVENTS_CONSUMER_IDENTITY } from '../../libs/common/src/messaging/bus-policy';
import { BusAccess } from './bus-access';
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

/**
 * How another team's program reads Bazaar's streams: the read-only `events` identity. `user` and
 * `pass` are absent on a bus without authentication (then any client may connect).
 */
export interface EventsConsumer {
  servers: string;
  user?: string;
  pass?: string;
}

export interface ReadyPayload {
  launcherPid: number;
  startupMs: number;
  urls: { api: string; docs: string; metrics: string; health: string };
  natsUrl: string;
  eventsConsumer: EventsConsumer;
  /** The launcher's own nats-server; absent on an external bus. */
  natsServer?: { pid: number; credentialsFile: string; logFile: string };
  replicas: ReadyReplica[];
}

function eventsConsumerOf(bus: BusAccess): EventsConsumer {
  const credential = bus.credentials?.[EVENTS_CONSUMER_IDENTITY];
  return { servers: bus.url, ...(credential ? { user: credential.user, pass: credential.pass } : {}) };
}

export function buildReadyPayload(
  replicas: readonly Replica[],
  gatewayPort: number,
  bus: BusAccess,
  startupMs: number,
): ReadyPayload {
  const base = `http://127.0.0.1:${gatewayPort}`;
  return {
    launcherPid: process.pid,
    startupMs,
    urls: { api: `${base}/v1`, docs: `${base}/docs`, metrics: `${base}/metrics`, health: `${base}/health/ready` },
    natsUrl: bus.url,
    eventsConsumer: eventsConsumerOf(bus),
    ...(bus.own ? { natsServer: bus.own } : {}),
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

/** A path as the developer would type it from where they ran `npm start`. */
function shown(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith('..') ? path : fromHere;
}

/** The bus, and where the events consumer's credentials are; the passwords themselves only in the machine line. */
export function busSummary(payload: ReadyPayload): string[] {
  const { natsServer, eventsConsumer } = payload;
  if (natsServer) {
    return [
      `  NATS     ${payload.natsUrl}   (own nats-server, pid ${natsServer.pid}; log ${shown(natsServer.logFile)})`,
      `  Events   read-only user "${eventsConsumer.user}" for other teams' consumers; password in ${shown(natsServer.credentialsFile)}`,
    ];
  }
  if (eventsConsumer.user === undefined) {
    return [
      `  NATS     ${payload.natsUrl}   ${paint('yellow', '(no credentials: anyone on this bus can act as any service)')}`,
    ];
  }
  return [
    `  NATS     ${payload.natsUrl}`,
    `  Events   read-only user "${eventsConsumer.user}" for other teams' consumers (EVENTS_NATS_USER / EVENTS_NATS_PASSWORD)`,
  ];
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
      ...busSummary(payload),
      '  Replicas',
      ...rows,
      `  Launcher pid ${payload.launcherPid}. Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
  print(`${READY_MARKER} ${JSON.stringify(payload)}`);
}
