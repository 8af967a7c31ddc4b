import { createHmac, createPublicKey, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { JWTPayload, SignJWT } from 'jose';
import { AuthClient } from '@app/common/clients';
import { PublicJwk } from '@app/contracts';
import { AccessTokenVerifier } from './access-token.verifier';
import { JwksCache } from './jwks-cache';

const ISSUER = 'bazaar-auth';
const AUDIENCE = 'bazaar-api';
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function key(kid: string, type: 'ec' | 'ed25519' = 'ec'): { kid: string; privateKey: KeyObject; jwk: PublicJwk } {
  const { privateKey } =
    type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const { kty, crv, x, y } = createPublicKey(privateKey).export({ format: 'jwk' });
  const alg = type === 'ec' ? 'ES256' : 'EdDSA';
  return { kid, privateKey, jwk: { kty, crv, x, ...(y ? { y } : {}), kid, alg, use: 'sig' } as PublicJwk };
}

describe(AccessTokenVerifier.name, () => {
  const es = key('es-key');
  const ed = key('ed-key', 'ed25519');
  const stranger = key('stranger');
  const auth = { jwks: () => Promise.resolve({ keys: [es.jwk, ed.jwk] }) } as unknown as AuthClient;
  const sut = new AccessTokenVerifier(new JwksCache(auth, { ttlMs: 60_000, refetchIntervalMs: 1000, trusted: [] }), {
    issuer: ISSUER,
    audience: AUDIENCE,
  });
  const now = (): number => Math.floor(Date.now() / 1000);
  const claims = (overrides: JWTPayload & { role?: unknown } = {}): JWTPayload => ({
    sub: randomUUID(),
    role: 'customer',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 900,
    jti: randomUUID(),
    ...overrides,
  });
  const sign = (
    payload: JWTPayload,
    signer = es,
    header: Record<string, unknown> = {},
    alg = signer === ed ? 'EdDSA' : 'ES256',
  ): Promise<string> =>
    new SignJWT(payload).setProtectedHeader({ alg, kid: signer.kid, typ: 'at+jwt', ...header }).sign(signer.privateKey);

  it('answers the principal of a valid ES256 or EdDSA token', async () => {
    const payload = claims({ role: 'admin' });

    await expect(sut.verify(await sign(payload))).resolves.toEqual({
      userId: payload.sub,
      role: 'admin',
      tokenId: payload.jti,
    });
    await expect(sut.verify(await sign(claims(), ed))).resolves.toMatchObject({ role: 'customer' });
  });

  it.each<[string, () => Promise<string>]>([
    ['alg none', () => Promise.resolve(`${b64({ alg: 'none', kid: es.kid, typ: 'at+jwt' })}.${b64(claims())}.`)],
    [
      'HS256 keyed with the public key',
      () => {
        const head = b64({ alg: 'HS256', kid: es.kid, typ: 'at+jwt' });
        const body = b64(claims());
        const secret = createPublicKey(es.privateKey).export({ type: 'spki', format: 'pem' });
        return Promise.resolve(
          `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`,
        );
      },
    ],
    [
      'tampered claims',
      async () => {
        const [head, , signature] = (await sign(claims())).split('.');
        return `${head}.${b64(claims({ role: 'admin' }))}.${signature}`;
      },
    ],
    ['expired', () => sign(claims({ iat: now() - 1000, exp: now() - 100 }))],
    ['wrong issuer', () => sign(claims({ iss: 'someone-else' }))],
    ['wrong audience', () => sign(claims({ aud: 'another-api' }))],
    ['unknown kid', () => sign(claims(), stranger)],
    ['a stranger key under a known kid', () => sign(claims(), stranger, { kid: es.kid })],
    ['an ES256 key named by an EdDSA header', () => sign(claims(), es, { kid: ed.kid })],
    ['wrong typ', () => sign(claims(), es, { typ: 'JWT' })],
    ['lifetime over 15 minutes', () => sign(claims({ exp: now() + 901 }))],
    ['issued in the future', () => sign(claims({ iat: now() + 600, exp: now() + 900 }))],
    ['an unknown role', () => sign(claims({ role: 'root' }))],
    ['a subject that is no uuid', () => sign(claims({ sub: 'admin' }))],
    ['no jti', () => sign(claims({ jti: undefined }))],
    ['garbage', () => Promise.resolve('a.b.c')],
  ])('refuses %s as unauthorized', async (_label, forge) => {
    await expect(sut.verify(await forge())).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('refuses a forged token whose valid twin was verified just before', async () => {
    const token = await sign(claims());
    await sut.verify(token);
    const [head, body] = token.split('.');

    await expect(sut.verify(`${head}.${body}.${'A'.repeat(86)}`)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  describe('a token verified before', () => {
    let keys: PublicJwk[];
    let verifier: AccessTokenVerifier;
    let jwks: JwksCache;

    beforeEach(() => {
      keys = [es.jwk];
      const rotating = { jwks: () => Promise.resolve({ keys }) } as unknown as AuthClient;
      jwks = new JwksCache(rotating, { ttlMs: 60_000, refetchIntervalMs: 0, trusted: [] });
      verifier = new AccessTokenVerifier(jwks, { issuer: ISSUER, audience: AUDIENCE });
    });

    it('passes again without a second signature check', async () => {
      const token = await sign(claims());
      const first = await verifier.verify(token);
      const keyFor = jest.spyOn(jwks, 'keyFor');

      await expect(verifier.verify(token)).resolves.toEqual(first);
      expect(keyFor).not.toHaveBeenCalled();
    });

    it('stops passing as soon as its key leaves the JWK set', async () => {
      const token = await sign(claims());
      await verifier.verify(token);
      keys = [ed.jwk];
      await jwks.refreshIfAllowed();

      await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'unauthorized' });
    });

    it('stops passing once expired, as it would without the cache', async () => {
      const token = await sign(claims({ iat: now() - 890, exp: now() + 1 }));
      await verifier.verify(token);
      // Past exp + the 5 s clock tolerance, for jose's clock too (it reads new Date()).
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: (now() + 1 + 6) * 1000 });
      try {
        await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'unauthorized' });
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
