import { NodeConnectionOptions } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import { BaseEnv } from '../config/base.env';
import { ConfigValidationError } from '../config/validate-env';
import { BUS_PASSWORD_PATTERN, BUS_PASSWORD_RULE } from './bus-password';
import { inboxPrefixOf } from './bus-policy';

/**
 * Where a process finds the bus and who it is there. Every connection of the process (requests,
 * the NATS server, the outbox relay, the read cache's feed) uses the same identity.
 */
export interface BusConnection {
  servers: string[];
  /** The process's identity (its service name): names its NATS user and its private inbox prefix. */
  identity: string;
  /** Absent on a bus without authentication (a bare local nats-server). */
  credentials?: { user: string; pass: string };
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

function readSecretFile(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigValidationError([`${variable}: ${path} is unreadable (${(error as Error).message})`]);
  }
}

function natsPassword(config: BaseEnv): string | undefined {
  if (config.NATS_PASSWORD !== undefined && config.NATS_PASSWORD_FILE !== undefined) {
    throw new ConfigValidationError(['NATS_PASSWORD_FILE: set NATS_PASSWORD or NATS_PASSWORD_FILE, not both']);
  }
  if (config.NATS_PASSWORD_FILE !== undefined) {
    const password = readSecretFile('NATS_PASSWORD_FILE', config.NATS_PASSWORD_FILE);
    if (!BUS_PASSWORD_PATTERN.test(password)) {
      throw new ConfigValidationError([`NATS_PASSWORD_FILE: the password in it must be ${BUS_PASSWORD_RULE}`]);
    }
    return password;
  }
  return config.NATS_PASSWORD;
}

/** Reads the bus settings of a process once, at start-up (a password file is read here). */
export function busConnectionFrom(config: BaseEnv, identity: string): BusConnection {
  const pass = natsPassword(config);
  const tlsFiles = {
    caFile: config.NATS_TLS_CA_FILE,
    certFile: config.NATS_TLS_CERT_FILE,
    keyFile: config.NATS_TLS_KEY_FILE,
  };
  const anyTls = Object.values(tlsFiles).some((file) => file !== undefined);
  return {
    servers: config.NATS_URL.split(','),
    identity,
    credentials: pass === undefined ? undefined : { user: config.NATS_USER ?? identity, pass },
    tls: anyTls ? tlsFiles : undefined,
  };
}

/**
 * Connection settings shared by every NATS connection in Bazaar:
 * - the process's credentials and its private inbox prefix: the server lets each identity read
 *   replies only below its own prefix (deploy/nats/authorization.conf), so a connection using the
 *   default `_INBOX` would never receive an answer;
 * - never give up reconnecting (a connection that gives up never resubscribes, and the replica
 *   silently goes deaf), with a jittered wait so a restarted NATS isn't hit by every replica at once;
 * - `noAsyncTraces`: without it nats.js builds two errors with captured stacks for every request
 *   (a RequestError and a TimeoutError made in advance, in case the request fails), ~8 % of the
 *   gateway's CPU. Failures keep their types (TimeoutError, RequestError with a NoRespondersError
 *   cause), so classifyRpcFailure maps them as before; only their stacks no longer show the caller.
 */
export function natsConnectionOptions(bus: BusConnection, name: string): NodeConnectionOptions {
  return {
    servers: bus.servers,
    name,
    ...(bus.credentials ? { user: bus.credentials.user, pass: bus.credentials.pass } : {}),
    ...(bus.tls ? { tls: bus.tls } : {}),
    inboxPrefix: inboxPrefixOf(bus.identity),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    waitOnFirstConnect: true,
    pingInterval: 10_000,
    maxPingOut: 3,
    noAsyncTraces: true,
  };
}
