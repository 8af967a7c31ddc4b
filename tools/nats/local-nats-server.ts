import { ChildProcess, spawn, spawnSync, StdioOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import { BUS_IDENTITIES, BusIdentity, inboxPrefixOf } from '../../libs/common/src/messaging/bus-policy';
import { BUS_PASSWORD_PATTERN } from '../../libs/common/src/messaging/bus-password';
import { passwordVariableOf } from './render-authorization';

/**
 * A nats-server process of our own, started with the shipped configuration
 * (deploy/nats/nats-server.conf and the authorization it includes): `npm start`, the tests'
 * private servers and the bench all run the bus exactly as docker-compose does.
 */

export interface BusCredential {
  user: string;
  pass: string;
}

export type BusCredentials = Record<BusIdentity, BusCredential>;

export const NATS_SERVER_CONFIG = join(__dirname, '..', '..', 'deploy', 'nats', 'nats-server.conf');

/** What nats-server can read from its environment as a password (see BUS_PASSWORD_PATTERN). */
export const SERVER_SAFE_PASSWORD = BUS_PASSWORD_PATTERN;

/** 24 random bytes, URL-safe, after a letter (SERVER_SAFE_PASSWORD). */
export function generateBusPassword(): string {
  return `p${randomBytes(24).toString('base64url')}`;
}

/** A fresh random password for every identity. */
export function generateBusCredentials(): BusCredentials {
  const entries = BUS_IDENTITIES.map((identity) => [identity, { user: identity, pass: generateBusPassword() }]);
  return Object.fromEntries(entries) as BusCredentials;
}

/** NATS_SERVER_BIN, the Debian and usual install paths, then the PATH; undefined when there is none. */
export function findNatsServerBinary(): string | undefined {
  const candidates = [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/local/bin/nats-server'];
  const found = candidates.find((candidate): candidate is string => Boolean(candidate) && existsSync(candidate!));
  if (found) {
    return found;
  }
  const which = spawnSync('which', ['nats-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

export function natsServerBinary(): string {
  const found = findNatsServerBinary();
  if (!found) {
    throw new Error('nats-server not found: install it (Debian: apt-get install nats-server) or set NATS_SERVER_BIN');
  }
  return found;
}

export interface NatsServerSpec {
  host?: string;
  port: number;
  storeDir: string;
  /** The identities' passwords; without them the server runs open (no authorization), for tests of that case only. */
  credentials?: BusCredentials;
  monitorPort?: number;
  stdio?: StdioOptions;
  /** The server writes its log here (appending) instead of to its stderr. */
  logFile?: string;
  /**
   * Its own process group: a Ctrl-C on the terminal (sent to the foreground group) doesn't reach
   * it, so the launcher can stop it after the replicas have drained through it.
   */
  detached?: boolean;
}

/** The server reads each identity's password from its environment (authorization.conf says which variable). */
export function natsServerEnv(credentials: BusCredentials): Record<string, string> {
  return Object.fromEntries(
    BUS_IDENTITIES.map((identity) => [passwordVariableOf(identity), credentials[identity].pass]),
  );
}

export function spawnNatsServer(spec: NatsServerSpec): ChildProcess {
  const config = spec.credentials ? ['-c', NATS_SERVER_CONFIG] : ['-js'];
  const monitor = spec.monitorPort === undefined ? [] : ['-m', String(spec.monitorPort)];
  const log = spec.logFile === undefined ? [] : ['-l', spec.logFile];
  const address = ['-a', spec.host ?? '127.0.0.1', '-p', String(spec.port)];
  const args = [...config, ...address, '-sd', spec.storeDir, ...monitor, ...log];
  // Only the passwords are added: nothing else of the caller's environment changes the server.
  const env = { ...process.env, ...(spec.credentials ? natsServerEnv(spec.credentials) : {}) };
  return spawn(natsServerBinary(), args, { stdio: spec.stdio ?? 'ignore', env, detached: spec.detached ?? false });
}

function portOpen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Resolves once the server listens; rejects if it exits first (a bad config) or takes too long. */
export async function waitForNatsServer(
  child: ChildProcess,
  port: number,
  host = '127.0.0.1',
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`nats-server exited with code ${child.exitCode} before listening on ${port}`);
    }
    if (await portOpen(port, host)) {
      return;
    }
    await sleep(25);
  }
  throw new Error(`nats-server did not listen on ${port} within ${timeoutMs} ms`);
}

/** What a Bazaar process needs in its environment to connect as `identity`. */
export function busEnvOf(
  url: string,
  credentials: BusCredentials | undefined,
  identity: BusIdentity,
): Record<string, string> {
  if (!credentials) {
    return { NATS_URL: url };
  }
  return { NATS_URL: url, NATS_USER: credentials[identity].user, NATS_PASSWORD: credentials[identity].pass };
}

/**
 * A plain nats.js connection as `identity`, with its private inbox prefix. It fails at once on
 * bad credentials (no reconnect loop), so a test or tool sees the refusal instead of hanging.
 */
export function connectAs(
  url: string,
  credentials: BusCredentials | undefined,
  identity: BusIdentity,
  options: Partial<NodeConnectionOptions> = {},
): Promise<NatsConnection> {
  return connect({
    servers: url.split(','),
    name: `bazaar-${identity}-tool`,
    inboxPrefix: inboxPrefixOf(identity),
    ...(credentials ? { user: credentials[identity].user, pass: credentials[identity].pass } : {}),
    ...options,
  });
}
