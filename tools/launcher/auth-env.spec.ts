import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnv } from '@app/common/config';
import { AuthEnv, SigningKeyRing } from '../../apps/auth/src/public';
import { ADMIN_PASSWORD_FILE, authLaunchEnv, SIGNING_KEY_FILE } from './auth-env';

describe(authLaunchEnv.name, () => {
  let root: string;
  let said: string[];
  const context = (): { localDir: string; say(message: string): void } => ({
    localDir: join(root, '.local'),
    say: (message: string) => said.push(message),
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'auth-env-'));
    said = [];
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('generates a signing key and an admin password once, printing the password the first time only', () => {
    const first = authLaunchEnv(context(), {});
    const second = authLaunchEnv(context(), {});

    expect(first.auth).toEqual({
      JWT_SIGNING_KEYS_FILE: join(root, '.local', SIGNING_KEY_FILE),
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
    });
    expect(second.auth).toEqual(first.auth);
    expect(said.filter((line) => line.includes(first.auth.ADMIN_PASSWORD))).toHaveLength(1);
    expect(statSync(join(root, '.local', ADMIN_PASSWORD_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, '.local', SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('produces an environment the auth service accepts and a key it can sign with', () => {
    const { auth } = authLaunchEnv(context(), {});

    const config = validateEnv(AuthEnv, { DATABASE_URL: 'postgres://localhost/bazaar_auth', ...auth });

    expect(SigningKeyRing.fromConfig(config).active.alg).toBe('ES256');
    expect(readFileSync(auth.JWT_SIGNING_KEYS_FILE, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('passes the developer’s own settings through and generates nothing for them', () => {
    const sut = authLaunchEnv(context(), {
      JWT_SIGNING_KEYS_FILE: '/secrets/keys.pem',
      ADMIN_EMAIL: 'me@example.org',
      ADMIN_PASSWORD: 'my own password',
      JWT_ISSUER: 'https://auth.example.org',
      JWT_AUDIENCE: 'bazaar',
    });

    expect(sut.auth).toEqual({
      ADMIN_EMAIL: 'me@example.org',
      ADMIN_PASSWORD: 'my own password',
      JWT_ISSUER: 'https://auth.example.org',
      JWT_AUDIENCE: 'bazaar',
    });
    expect(sut.gateway).toEqual({ JWT_ISSUER: 'https://auth.example.org', JWT_AUDIENCE: 'bazaar' });
    expect(said).toEqual([]);
  });
});
