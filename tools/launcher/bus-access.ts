import { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import { BusIdentity } from '../../libs/common/src/messaging/bus-policy';
import { BusCredentials, connectAs } from '../nats/local-nats-server';
import { BusOptions, BusTls } from './bus-options';

/** The bus the replicas use, once it is known: the own server started, or the external one as given. */
export interface BusAccess {
  url: string;
  /** Every identity's credentials; undefined on an open bus. */
  credentials: BusCredentials | undefined;
  tls: BusTls | undefined;
  /** Set when the launcher runs the server itself. */
  own?: { pid: number; credentialsFile: string; logFile: string };
}

export function externalBusAccess(bus: Extract<BusOptions, { kind: 'external' }>): BusAccess {
  return { url: bus.url, credentials: bus.credentials, tls: bus.tls };
}

/** A launcher connection (probe, pings) as `identity`, with its inbox prefix: fails at once when refused. */
export function connectToBus(
  bus: Pick<BusAccess, 'url' | 'credentials' | 'tls'>,
  identity: BusIdentity,
  options: Partial<NodeConnectionOptions> = {},
): Promise<NatsConnection> {
  return connectAs(bus.url, bus.credentials, identity, { ...(bus.tls ? { tls: bus.tls } : {}), ...options });
}
