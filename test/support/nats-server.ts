import type { NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import type { BusConnection } from '../../libs/common/src/messaging/nats-connection-options';
import type { BusIdentity } from '../../libs/common/src/messaging/bus-policy';
import { BusCredentials, busEnvOf, connectAs, generateBusCredentials } from '../../tools/nats/local-nats-server';
import { startNatsProcess } from '../../tools/nats/restartable-nats-server';
import { freePort } from './free-port';
import { containersInUse } from './test-containers';
import { startNatsContainer } from './nats-container';

/**
 * A private NATS server (with JetStream) for one suite: Nest uses the pattern as the subject, so
 * two suites, or a running dev stack, sharing a server would answer each other's requests.
 * It runs the shipped configuration, authorization included, with fresh passwords: every suite
 * exercises the bus permissions the deployments enforce. stop()/start() keep the port, the
 * passwords and the JetStream store, to test outages and recovery.
 *
 * Where globalSetup found a container engine, the server is a container of the image
 * docker-compose.yml runs (nats-container.ts); otherwise, and always with `via: 'process'`, the
 * machine's nats-server binary (2.9 on these machines: both must keep working).
 */
export interface PrivateNats {
  url: string;
  port: number;
  /** Every identity's credentials on this server (undefined for an open server). */
  credentials: BusCredentials | undefined;
  /** NATS_URL, NATS_USER and NATS_PASSWORD of a Bazaar process connecting as `identity`. */
  env(identity: BusIdentity): Record<string, string>;
  /** Bus settings of an in-test client connecting as `identity` (BazaarNatsClient, OutboxRelay). */
  bus(identity: BusIdentity): BusConnection;
  /** A plain nats.js connection as `identity`, with its private inbox. */
  connect(identity: BusIdentity, options?: Partial<NodeConnectionOptions>): Promise<NatsConnection>;
  /** SIGKILL by default (a crash); SIGTERM is an orderly stop, which flushes the JetStream store first. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export interface PrivateNatsOptions {
  /** false: no authorization at all (only for tests of what an open bus allows). Default true. */
  authorization?: boolean;
  /** Where the server runs; default: a container where an engine answers, else a process. */
  via?: 'process' | 'container';
}

export async function startPrivateNats(options: PrivateNatsOptions = {}): Promise<PrivateNats> {
  const port = await freePort();
  const credentials = options.authorization === false ? undefined : generateBusCredentials();
  const url = `nats://127.0.0.1:${port}`;
  const via = options.via ?? (containersInUse() ? 'container' : 'process');
  const server =
    via === 'container' ? await startNatsContainer(port, credentials) : await startNatsProcess(port, credentials);
  return {
    url,
    port,
    credentials,
    env: (identity) => busEnvOf(url, credentials, identity),
    bus: (identity) => ({ servers: [url], identity, credentials: credentials?.[identity] }),
    connect: (identity, connectOptions) => connectAs(url, credentials, identity, connectOptions),
    start: () => server.start(),
    stop: (signal = 'SIGKILL') => server.stop(signal),
    dispose: () => server.dispose(),
  };
}
