import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceContext } from './services';

const KEY_FILE = 'auth-jwt-signing-key.pem';

/**
 * The auth service refuses to start without an access-token signing key. Locally the launcher makes
 * one (EC P-256, so ES256) the first time and keeps it in the git-ignored .local/, so tokens stay
 * valid across restarts; a key set in the environment always wins.
 */
export function authSigningKeyEnv(context: ServiceContext): Promise<Record<string, string>> {
  if (process.env.JWT_SIGNING_KEYS || process.env.JWT_SIGNING_KEYS_FILE) {
    return Promise.resolve({});
  }
  const path = join(context.localDir, KEY_FILE);
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    mkdirSync(context.localDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    context.say(`auth: generated a local JWT signing key in ${path} (kept across restarts, git-ignored)`);
  }
  return Promise.resolve({ JWT_SIGNING_KEYS_FILE: path });
}
