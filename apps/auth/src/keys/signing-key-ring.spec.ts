import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnv } from '@app/common/config';
import { AuthEnv } from '../config/auth.env';
import { parseSigningKeys } from './parse-signing-keys';
import { SigningKeyRing } from './signing-key-ring';

const pem = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const env = (extra: Record<string, string>): AuthEnv =>
  validateEnv(AuthEnv, { DATABASE_URL: 'postgres://localhost/auth', ...extra });

describe(SigningKeyRing.name, () => {
  it('signs with the last key and publishes all of them', () => {
    const keys = parseSigningKeys(`${pem()}\n${pem()}`);

    const sut = new SigningKeyRing(keys);

    expect(sut.active.kid).toBe(keys[1].kid);
    expect(sut.jwks().keys.map((key) => key.kid)).toEqual(keys.map((key) => key.kid));
  });

  it('signs with the key JWT_ACTIVE_KEY_ID names', () => {
    const keys = parseSigningKeys(`${pem()}\n${pem()}`);

    expect(new SigningKeyRing(keys, keys[0].kid).active.kid).toBe(keys[0].kid);
    expect(() => new SigningKeyRing(keys, 'nope')).toThrow(/names none/);
  });

  it('reads the keys from JWT_SIGNING_KEYS_FILE', () => {
    const directory = mkdtempSync(join(tmpdir(), 'ring-'));
    try {
      const file = join(directory, 'keys.pem');
      writeFileSync(file, pem());

      expect(SigningKeyRing.fromConfig(env({ JWT_SIGNING_KEYS_FILE: file })).keys).toHaveLength(1);
      expect(() => SigningKeyRing.fromConfig(env({ JWT_SIGNING_KEYS_FILE: join(directory, 'missing') }))).toThrow(
        /unreadable/,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses both JWT_SIGNING_KEYS and JWT_SIGNING_KEYS_FILE at once', () => {
    expect(() => SigningKeyRing.fromConfig(env({ JWT_SIGNING_KEYS: pem(), JWT_SIGNING_KEYS_FILE: '/x' }))).toThrow(
      /not both/,
    );
  });
});
