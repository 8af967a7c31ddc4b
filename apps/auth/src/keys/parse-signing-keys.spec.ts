import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { parseSigningKeys, SigningKeyConfigError } from './parse-signing-keys';

const ecPem = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const edPem = (): string =>
  generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe(parseSigningKeys.name, () => {
  it('reads several PEM blocks in order, EC P-256 as ES256 and Ed25519 as EdDSA', () => {
    const sut = parseSigningKeys(`${ecPem()}\n${edPem()}`);

    expect(sut.map((key) => key.alg)).toEqual(['ES256', 'EdDSA']);
    expect(sut[0].publicJwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: sut[0].kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(sut[1].publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.any(String),
      kid: sut[1].kid,
      alg: 'EdDSA',
      use: 'sig',
    });
  });

  it('names each key by its RFC 7638 thumbprint, as jose computes it', async () => {
    const [sut] = parseSigningKeys(ecPem());
    const { kid: _kid, alg: _alg, use: _use, ...publicParts } = sut.publicJwk;

    expect(sut.kid).toBe(await calculateJwkThumbprint(publicParts));
  });

  it('reads a SEC1 "EC PRIVATE KEY" block too', () => {
    const sec1 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'sec1', format: 'pem' })
      .toString();

    expect(parseSigningKeys(sec1)[0].alg).toBe('ES256');
  });

  it('reads a PEM whose newlines arrived as literal \\n (one-line env files)', () => {
    const pem = ecPem();

    expect(parseSigningKeys(pem.trim().replace(/\n/g, '\\n'))[0].kid).toBe(parseSigningKeys(pem)[0].kid);
  });

  it('reads a private JWK, a JWK set and a JWK array, keeping their own kids', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'key-2026' };

    expect(parseSigningKeys(JSON.stringify(jwk))[0].kid).toBe('key-2026');
    expect(parseSigningKeys(JSON.stringify({ keys: [jwk] }))[0].kid).toBe('key-2026');
    expect(parseSigningKeys(JSON.stringify([jwk]))[0].publicJwk).not.toHaveProperty('d');
  });

  it.each([
    [
      'a public key',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ],
    [
      'an RSA key',
      generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    ],
    [
      'a P-384 key',
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ],
    ['garbage', 'not a key'],
    ['a broken PEM body', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'],
    ['a public JWK', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc' })],
    ['malformed JSON', '{"keys": ['],
  ])('refuses %s, without echoing key material', (_label, text) => {
    let error: unknown;
    try {
      parseSigningKeys(text);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(SigningKeyConfigError);
    const message = (error as Error).message;
    expect(message).not.toMatch(/MII|AAAA/);
  });

  it('refuses the same key twice', () => {
    const pem = ecPem();

    expect(() => parseSigningKeys(`${pem}\n${pem}`)).toThrow(/configured twice/);
  });
});
