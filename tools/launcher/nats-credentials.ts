import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUS_IDENTITIES } from '../../libs/common/src/messaging/bus-policy';
import { BusCredentials, generateBusCredentials, SERVER_SAFE_PASSWORD } from '../nats/local-nats-server';
import { createOnce, ensurePrivateDir } from './local-files';

/** What the launcher's own nats-server keeps in `<state dir>/nats/`, across restarts. */
export interface NatsStateFiles {
  dir: string;
  /** Every identity's user and password (JSON, mode 0600): the replicas' and the events consumer's. */
  credentials: string;
  /** JetStream's store: the streams survive a restart, like a deployed server's volume. */
  jetstream: string;
  log: string;
  /** The running server's pid, so a launcher killed with SIGKILL doesn't leave it behind for good. */
  pid: string;
}

export function natsStateFiles(stateDir: string): NatsStateFiles {
  const dir = join(stateDir, 'nats');
  return {
    dir,
    credentials: join(dir, 'credentials.json'),
    jetstream: join(dir, 'jetstream'),
    log: join(dir, 'nats-server.log'),
    pid: join(dir, 'nats-server.pid'),
  };
}

function parseCredentials(text: string, path: string): BusCredentials {
  const fix = `delete ${path} to generate new ones (every identity gets a new password: hand the events one out again)`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON: ${fix}`);
  }
  const record = (parsed ?? {}) as Record<string, { user?: unknown; pass?: unknown } | undefined>;
  const usable = (identity: string): boolean => {
    const { user, pass } = record[identity] ?? {};
    return (
      typeof user === 'string' &&
      /^[A-Za-z0-9_-]{1,64}$/.test(user) &&
      typeof pass === 'string' &&
      SERVER_SAFE_PASSWORD.test(pass)
    );
  };
  const broken = BUS_IDENTITIES.filter((identity) => !usable(identity));
  if (broken.length > 0) {
    // The password rule is nats-server's (local-nats-server.ts): it reads them as unquoted configuration values.
    throw new Error(
      `${path} has no usable credentials for ${broken.join(', ')} (a user of letters, digits, '_', '-'; a password of ` +
        `16 to 256 of those, starting with a letter): ${fix}`,
    );
  }
  return Object.fromEntries(BUS_IDENTITIES.map((identity) => [identity, record[identity]])) as BusCredentials;
}

/**
 * The own bus's credentials: generated once (like the JWT signing key, auth-env.ts) and read back
 * on every later start, so other teams' consumers keep working across restarts. `say` learns
 * where they are, never what they are.
 */
export function loadOrCreateBusCredentials(files: NatsStateFiles, say: (message: string) => void): BusCredentials {
  ensurePrivateDir(files.dir);
  const created = createOnce(files.credentials, () => `${JSON.stringify(generateBusCredentials(), null, 2)}\n`);
  if (created) {
    say(`nats: generated credentials for ${BUS_IDENTITIES.join(', ')} in ${files.credentials} (kept, git-ignored)`);
  }
  return parseCredentials(readFileSync(files.credentials, 'utf8'), files.credentials);
}
