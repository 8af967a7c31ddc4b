import { Logger } from '@nestjs/common';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { AuthClient } from '@app/common/clients';
import { DomainError } from '@app/common/errors';
import { JwksResponse, PublicJwk } from '@app/contracts';
import { JwksCache } from './jwks-cache';

function publicJwk(kid: string): { jwk: PublicJwk; privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { jwk: { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' } as PublicJwk, privateKey };
}

/** An AuthClient whose JWK set the test controls, counting the fetches. */
class FakeAuth {
  fetches = 0;
  failing = false;
  constructor(public jwks: JwksResponse) {}
  jwks$ = (): Promise<JwksResponse> => {
    this.fetches++;
    return this.failing
      ? Promise.reject(new DomainError('service-unavailable', 'down'))
      : Promise.resolve(structuredClone(this.jwks));
  };
  asClient(): AuthClient {
    return { jwks: this.jwks$ } as unknown as AuthClient;
  }
}

describe(JwksCache.name, () => {
  const a = publicJwk('key-a');
  const b = publicJwk('key-b');
  let now: number;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    // The cache logs failed fetches; the tests assert on behaviour instead.
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  const cacheWith = (auth: FakeAuth, trusted: unknown[] = []): JwksCache =>
    new JwksCache(auth.asClient(), { ttlMs: 300_000, refetchIntervalMs: 5000, trusted });

  it('fetches the set on first use and then answers from memory', async () => {
    const auth = new FakeAuth({ keys: [a.jwk] });
    const sut = cacheWith(auth);

    expect((await sut.keyFor('key-a'))?.alg).toBe('ES256');
    expect((await sut.keyFor('key-a'))?.kid).toBe('key-a');
    expect(auth.fetches).toBe(1);
  });

  it('refetches on an unknown kid, at most once per refetch interval', async () => {
    const auth = new FakeAuth({ keys: [a.jwk] });
    const sut = cacheWith(auth);
    await sut.keyFor('key-a');

    await expect(sut.keyFor('made-up-1')).resolves.toBeUndefined();
    await expect(sut.keyFor('made-up-2')).resolves.toBeUndefined();
    expect(auth.fetches).toBe(1);

    now += 5000;
    auth.jwks = { keys: [a.jwk, b.jwk] };
    await expect(sut.keyFor('key-b')).resolves.toMatchObject({ kid: 'key-b' });
    expect(auth.fetches).toBe(2);
  });

  it('shares one fetch among concurrent callers', async () => {
    const auth = new FakeAuth({ keys: [a.jwk] });
    const sut = cacheWith(auth);

    await Promise.all(Array.from({ length: 20 }, () => sut.keyFor('key-a')));

    expect(auth.fetches).toBe(1);
  });

  it('refreshes an old set in the background and drops keys auth no longer publishes', async () => {
    const auth = new FakeAuth({ keys: [a.jwk, b.jwk] });
    const sut = cacheWith(auth);
    await sut.keyFor('key-a');
    auth.jwks = { keys: [b.jwk] };
    now += 300_001;

    await expect(sut.keyFor('key-a')).resolves.toBeDefined();
    await sut.refreshIfAllowed();

    now += 5000;
    await expect(sut.keyFor('key-a')).resolves.toBeUndefined();
    await expect(sut.keyFor('key-b')).resolves.toBeDefined();
  });

  it('keeps the last known keys while auth is unreachable', async () => {
    const auth = new FakeAuth({ keys: [a.jwk] });
    const sut = cacheWith(auth);
    await sut.keyFor('key-a');
    auth.failing = true;
    now += 300_001;

    await expect(sut.keyFor('key-a')).resolves.toBeDefined();
    now += 5000;
    await expect(sut.keyFor('key-a')).resolves.toBeDefined();
  });

  it('fetches again soon after a failed fetch, so a gateway that started before auth verifies at once', async () => {
    const auth = new FakeAuth({ keys: [a.jwk] });
    auth.failing = true;
    const sut = cacheWith(auth);
    await sut.refreshIfAllowed();
    auth.failing = false;
    now += 500;

    await expect(sut.keyFor('key-a')).resolves.toMatchObject({ kid: 'key-a' });
    expect(auth.fetches).toBe(2);
  });

  it('answers 503, not an unknown key (401), for a kid it could not look up because auth is unreachable', async () => {
    const auth = new FakeAuth({ keys: [a.jwk] });
    auth.failing = true;
    const sut = cacheWith(auth);

    await expect(sut.keyFor('key-a')).rejects.toMatchObject({ code: 'service-unavailable' });
    auth.failing = false;
    await expect(sut.keyFor('made-up')).rejects.toMatchObject({ code: 'service-unavailable' });
    now += 500;
    await expect(sut.keyFor('made-up')).resolves.toBeUndefined();
  });

  it('trusts JWT_TRUSTED_KEYS without asking auth', async () => {
    const auth = new FakeAuth({ keys: [] });
    auth.failing = true;
    const sut = cacheWith(auth, [b.jwk]);

    await expect(sut.keyFor('key-b')).resolves.toMatchObject({ kid: 'key-b', alg: 'ES256' });
  });

  it('refuses a trusted key with private parts or of another type', () => {
    const withPrivate = { ...a.jwk, d: 'secret' };
    const hmac = { kty: 'oct', k: 'c2VjcmV0', kid: 'h', alg: 'HS256' };

    expect(() => cacheWith(new FakeAuth({ keys: [] }), [withPrivate])).toThrow(/JWT_TRUSTED_KEYS/);
    expect(() => cacheWith(new FakeAuth({ keys: [] }), [hmac])).toThrow(/JWT_TRUSTED_KEYS/);
  });

  it('ignores keys of other types in the fetched set', async () => {
    const auth = new FakeAuth({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'h', alg: 'HS256' } as never, a.jwk] });
    const sut = cacheWith(auth);

    await expect(sut.keyFor('h')).resolves.toBeUndefined();
    await expect(sut.publicJwks()).resolves.toEqual({ keys: [a.jwk] });
  });

  it('answers 503 for the JWKS route while no set was ever fetched', async () => {
    const auth = new FakeAuth({ keys: [] });
    auth.failing = true;

    await expect(cacheWith(auth).publicJwks()).rejects.toMatchObject({ code: 'service-unavailable' });
  });
});
