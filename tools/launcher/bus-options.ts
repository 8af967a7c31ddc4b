import { BUS_IDENTITIES, BusIdentity } from '../../libs/common/src/messaging/bus-policy';
import type { BusCredential, BusCredentials } from '../nats/local-nats-server';
import { isNatsUrlList } from './addresses';
import { last, port, RawArgs, UsageError } from './cli-args';

/** 4222 is where a machine's own NATS usually runs (this one's does): the launcher's own stays clear of it. */
export const DEFAULT_OWN_NATS_PORT = 4223;

export interface BusTls {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/**
 * Where the replicas' bus comes from:
 * - `own` (the default): the launcher runs nats-server itself, with the shipped configuration
 *   (authorization on) and credentials generated once into its state directory (own-nats.ts);
 * - `external` (--nats-url / NATS_URL): a server someone else runs. Each identity's credentials
 *   come from `<IDENTITY>_NATS_USER` / `<IDENTITY>_NATS_PASSWORD`, as a service's database comes
 *   from `<SERVICE>_DATABASE_URL`; with none at all the launcher connects without credentials.
 */
export type BusOptions =
  | { kind: 'own'; port: number }
  | { kind: 'external'; url: string; credentials: BusCredentials | undefined; tls: BusTls | undefined };

export interface BusVariables {
  user: string;
  password: string;
}

/** `GATEWAY_NATS_USER` / `GATEWAY_NATS_PASSWORD`, …, `EVENTS_NATS_PASSWORD`. */
export function busVariablesOf(identity: BusIdentity): BusVariables {
  const prefix = identity.toUpperCase();
  return { user: `${prefix}_NATS_USER`, password: `${prefix}_NATS_PASSWORD` };
}

/** The services accept the same (base.env.ts): a mistake is better caught here than by five replicas. */
function credentialOf(identity: BusIdentity, env: NodeJS.ProcessEnv): BusCredential {
  const variables = busVariablesOf(identity);
  const user = env[variables.user] || identity;
  const pass = env[variables.password] ?? '';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(user)) {
    throw new UsageError(`${variables.user} must be 1 to 64 letters, digits, '_' or '-'`);
  }
  if (pass.length < 16 || pass.length > 256) {
    throw new UsageError(`${variables.password} must be 16 to 256 characters long (the services refuse others)`);
  }
  return { user, pass };
}

/** All five identities' credentials, or none (an open bus); half a set is a mistake. */
function externalCredentials(env: NodeJS.ProcessEnv): BusCredentials | undefined {
  const isSet = (name: string): boolean => Boolean(env[name]);
  const anySet = BUS_IDENTITIES.some((identity) => Object.values(busVariablesOf(identity)).some(isSet));
  if (!anySet) {
    return undefined;
  }
  const missing = BUS_IDENTITIES.map((identity) => busVariablesOf(identity).password).filter((name) => !isSet(name));
  if (missing.length > 0) {
    throw new UsageError(
      `An external bus with credentials needs every identity's password; missing: ${missing.join(', ')} ` +
        '(set all five <IDENTITY>_NATS_PASSWORD, or none for a bus without authentication)',
    );
  }
  const entries = BUS_IDENTITIES.map((identity) => [identity, credentialOf(identity, env)]);
  return Object.fromEntries(entries) as BusCredentials;
}

/** The launcher's own connections (probe, pings) use the TLS files the replicas are given. */
function tlsOf(env: NodeJS.ProcessEnv): BusTls | undefined {
  const tls = { caFile: env.NATS_TLS_CA_FILE, certFile: env.NATS_TLS_CERT_FILE, keyFile: env.NATS_TLS_KEY_FILE };
  return Object.values(tls).some(Boolean) ? tls : undefined;
}

export function parseBusOptions(raw: RawArgs, env: NodeJS.ProcessEnv): BusOptions {
  const url = last(raw, '--nats-url') ?? (env.NATS_URL || undefined);
  if (url === undefined) {
    const text = last(raw, '--nats-port') ?? env.LAUNCHER_NATS_PORT ?? String(DEFAULT_OWN_NATS_PORT);
    return { kind: 'own', port: port(text, 'The own nats-server port (--nats-port, LAUNCHER_NATS_PORT)') };
  }
  if (raw.values.has('--nats-port')) {
    throw new UsageError(
      "--nats-port is the port of the launcher's own nats-server: with --nats-url (or NATS_URL) it runs none",
    );
  }
  if (!isNatsUrlList(url)) {
    throw new UsageError('The NATS URL (--nats-url, NATS_URL) must be nats://host:port[,nats://host:port...]');
  }
  return { kind: 'external', url, credentials: externalCredentials(env), tls: tlsOf(env) };
}

/**
 * The environment that points a launcher at an external bus with these credentials: what the
 * bench, the chaos tool and the e2e test give it (in the environment, where `ps` can't read them).
 */
export function externalBusEnv(url: string, credentials: BusCredentials | undefined): Record<string, string> {
  const secrets = BUS_IDENTITIES.flatMap((identity) => {
    const variables = busVariablesOf(identity);
    return credentials
      ? [
          [variables.user, credentials[identity].user],
          [variables.password, credentials[identity].pass],
        ]
      : [];
  });
  return { NATS_URL: url, ...Object.fromEntries(secrets) };
}

/**
 * Removes the bus secrets from the launcher's environment once read. Replicas inherit that
 * environment: each must get its own identity's password only (the launcher sets NATS_USER and
 * NATS_PASSWORD per replica), and a developer's NATS_PASSWORD_FILE would clash with those.
 */
export function scrubBusSecrets(env: NodeJS.ProcessEnv): void {
  const names = BUS_IDENTITIES.flatMap((identity) => Object.values(busVariablesOf(identity)));
  for (const name of [...names, 'NATS_USER', 'NATS_PASSWORD', 'NATS_PASSWORD_FILE']) {
    delete env[name];
  }
}
