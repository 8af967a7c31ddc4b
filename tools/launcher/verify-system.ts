import { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PingResponse } from '../../libs/contracts/src/system/ping.response';
import { BusAccess, connectToBus } from './bus-access';
import { httpStatus } from './readiness';

export interface PingTarget {
  service: string;
  subject: string;
  /** REPLICA_IDs expected to answer: each must be seen at least once. */
  replicaIds: string[];
}

export interface VerifySettings {
  /** Pings go out as the gateway: the identity the bus lets request every public subject. */
  bus: Pick<BusAccess, 'url' | 'credentials' | 'tls'>;
  targets: PingTarget[];
  gatewayReadyUrl: string;
  signal: AbortSignal;
}

export interface VerifyReport {
  /** replica id → the pid it reported over NATS. */
  answered: Map<string, number>;
  /** Replicas that were ready over HTTP but never answered a ping in time. */
  silent: string[];
}

const VERIFY_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 2000;
const BATCH = 8;

/** Nest's NATS wire format: `{pattern, data, id}` out, `{response | err, isDisposed}` back. */
async function ping(nc: NatsConnection, subject: string): Promise<PingResponse> {
  const packet = JSON.stringify({ pattern: subject, data: {}, id: randomUUID() });
  const reply = (await nc.request(subject, packet, { timeout: REQUEST_TIMEOUT_MS })).json<{
    response?: PingResponse;
    err?: unknown;
  }>();
  if (!reply.response) {
    throw new Error(`${subject} answered with an error: ${JSON.stringify(reply.err)}`);
  }
  return reply.response;
}

/**
 * Pings a service until every one of its replicas has answered. The queue group hands each
 * request to one replica at random, so a few batches see them all; a replica can be ready over
 * HTTP a moment before its subscription exists, hence the retries.
 */
async function pingAll(
  nc: NatsConnection,
  target: PingTarget,
  report: VerifyReport,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + VERIFY_TIMEOUT_MS;
  const unseen = new Set(target.replicaIds);
  let lastError: unknown;
  while (unseen.size > 0 && Date.now() < deadline) {
    signal.throwIfAborted();
    const results = await Promise.allSettled(Array.from({ length: BATCH }, () => ping(nc, target.subject)));
    for (const result of results) {
      if (result.status === 'fulfilled') {
        report.answered.set(result.value.replica, result.value.pid);
        unseen.delete(result.value.replica);
      } else {
        lastError = result.reason;
      }
    }
    if (unseen.size === target.replicaIds.length && lastError) {
      await sleep(200, undefined, { signal });
    }
  }
  if (unseen.size === target.replicaIds.length) {
    throw new Error(`No ${target.service} replica answered ${target.subject} over NATS: ${String(lastError)}`);
  }
  report.silent.push(...unseen);
}

/** The end-to-end proof that the system works: every service over NATS, the gateway over HTTP. */
export async function verifySystem(settings: VerifySettings): Promise<VerifyReport> {
  const report: VerifyReport = { answered: new Map(), silent: [] };
  const nc = await connectToBus(settings.bus, 'gateway', { name: 'bazaar-launcher-verify' });
  try {
    await Promise.all(settings.targets.map((target) => pingAll(nc, target, report, settings.signal)));
  } finally {
    await nc.close();
  }
  const status = await httpStatus(settings.gatewayReadyUrl);
  if (status !== 200) {
    throw new Error(`The gateway is not ready: ${settings.gatewayReadyUrl} answered ${status}`);
  }
  return report;
}
