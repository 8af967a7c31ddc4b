import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { AccessTokenSigner } from './access-token.signer';
import { parseSigningKeys } from './parse-signing-keys';
import { SigningKeyRing } from './signing-key-ring';

const settings = { issuer: 'bazaar-auth', audience: 'bazaar-api', ttlSeconds: 900 };
const pemOf = (type: 'ec' | 'ed25519'): string =>
  (type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')).privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();

describe(AccessTokenSigner.name, () => {
  it.each([
    ['ES256', 'ec'],
    ['EdDSA', 'ed25519'],
  ] as const)('issues %s tokens that a pinned JWS verifier (jose) accepts, with every claim', async (alg, type) => {
    const ring = new SigningKeyRing(parseSigningKeys(pemOf(type)));
    const sut = new AccessTokenSigner(ring, settings);
    const before = Math.floor(Date.now() / 1000);

    const signed = sut.sign({ userId: '9f1c2a7e-3b4d-4e5f-8a6b-7c8d9e0f1a2b', role: 'admin' });

    const { payload, protectedHeader } = await jwtVerify(signed.token, createLocalJWKSet(ring.jwks()), {
      algorithms: [alg],
      issuer: settings.issuer,
      audience: settings.audience,
      typ: 'at+jwt',
    });
    expect(protectedHeader).toEqual({ alg, kid: ring.active.kid, typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: '9f1c2a7e-3b4d-4e5f-8a6b-7c8d9e0f1a2b', role: 'admin' });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp).toBe(payload.iat! + 900);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(signed.expiresIn).toBe(900);
  });

  it('gives every token its own jti and a signature that breaks when the claims change', async () => {
    const ring = new SigningKeyRing(parseSigningKeys(pemOf('ec')));
    const sut = new AccessTokenSigner(ring, settings);

    const first = sut.sign({ userId: 'a', role: 'customer' }).token;
    const second = sut.sign({ userId: 'a', role: 'customer' }).token;
    const [header, , signature] = first.split('.');
    const forgedClaims = Buffer.from(JSON.stringify({ sub: 'a', role: 'admin' })).toString('base64url');

    expect(first).not.toBe(second);
    await expect(
      jwtVerify(`${header}.${forgedClaims}.${signature}`, createLocalJWKSet(ring.jwks()), { algorithms: ['ES256'] }),
    ).rejects.toThrow(/signature verification failed/);
  });
});
