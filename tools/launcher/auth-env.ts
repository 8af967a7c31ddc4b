import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOnce } from './local-files';

/** What the launcher's `prepareEnv` hooks get (a structural subset of its ServiceContext). */
export interface AuthLaunchContext {
  /** Git-ignored directory (.local/) for what is generated once and kept. */
  localDir: string;
  /** Prints a launcher line. */
  say(message: string): void;
}

export interface AuthLaunchEnv {
  /** Extra environment for every auth replica. */
  auth: Record<string, string>;
  /** Extra environment for every gateway replica. */
  gateway: Record<string, string>;
}

export const SIGNING_KEY_FILE = 'auth-jwt-signing-key.pem';
export const ADMIN_PASSWORD_FILE = 'auth-admin-password';
export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';

function signingKeyEnv(context: AuthLaunchContext, env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.JWT_SIGNING_KEYS || env.JWT_SIGNING_KEYS_FILE) {
    return {};
  }
  const path = join(context.localDir, SIGNING_KEY_FILE);
  const created = createOnce(path, () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
  if (created) {
    context.say(`auth: generated a JWT signing key (ES256) in ${path}; it is kept across restarts and git-ignored`);
  }
  return { JWT_SIGNING_KEYS_FILE: path };
}

function adminEnv(context: AuthLaunchContext, env: NodeJS.ProcessEnv): Record<string, string> {
  const email = env.ADMIN_EMAIL || DEFAULT_ADMIN_EMAIL;
  if (env.ADMIN_PASSWORD) {
    return { ADMIN_EMAIL: email, ADMIN_PASSWORD: env.ADMIN_PASSWORD };
  }
  const path = join(context.localDir, ADMIN_PASSWORD_FILE);
  const created = createOnce(path, () => `${randomBytes(18).toString('base64url')}\n`);
  const password = readFileSync(path, 'utf8').trim();
  if (created) {
    context.say(`auth: bootstrap admin ${email} with password ${password} (shown once; kept in ${path})`);
  } else {
    context.say(`auth: bootstrap admin ${email}; its password is in ${path}`);
  }
  return { ADMIN_EMAIL: email, ADMIN_PASSWORD: password };
}

/** Issuer and audience must be the same on both sides; each defaults to the same value when unset. */
function sharedTokenSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const shared: Record<string, string> = {};
  for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE'] as const) {
    if (env[name]) {
      shared[name] = env[name];
    }
  }
  return shared;
}

/**
 * The auth-related environment of a local run (`npm start`):
 * - auth signs access tokens with a key generated once into `.local/` (JWT_SIGNING_KEYS or
 *   JWT_SIGNING_KEYS_FILE in the launcher's environment win);
 * - the bootstrap admin is ADMIN_EMAIL (default admin@example.com) with ADMIN_PASSWORD, or, when
 *   that is unset, a password generated once into `.local/`, printed the first time only;
 * - JWT_ISSUER / JWT_AUDIENCE, when set, go to both auth and the gateway, which must agree (both
 *   default to the same values when unset).
 */
export function authLaunchEnv(context: AuthLaunchContext, env: NodeJS.ProcessEnv = process.env): AuthLaunchEnv {
  mkdirSync(context.localDir, { recursive: true, mode: 0o700 });
  const shared = sharedTokenSettings(env);
  return {
    auth: { ...shared, ...signingKeyEnv(context, env), ...adminEnv(context, env) },
    gateway: shared,
  };
}

/** `prepareEnv` hook of the auth service. */
export function authServicePrepareEnv(context: AuthLaunchContext): Promise<Record<string, string>> {
  return Promise.resolve(authLaunchEnv(context).auth);
}

/** `prepareEnv` hook of the gateway (no files are written: only JWT_ISSUER/JWT_AUDIENCE are mirrored). */
export function gatewayPrepareEnv(): Promise<Record<string, string>> {
  return Promise.resolve(sharedTokenSettings(process.env));
}
