import { generateKeyPairSync } from 'node:crypto';
import { Principal } from './principal';
import { VerificationKey } from './jwks-cache';
import { VerifiedTokens } from './verified-tokens';

const key = (kid: string): VerificationKey => ({
  kid,
  alg: 'EdDSA',
  key: generateKeyPairSync('ed25519').publicKey,
});
const principal: Principal = { userId: '0f8fad5b-d9cb-469f-a165-70867728950e', role: 'customer', tokenId: 'j1' };

describe(VerifiedTokens.name, () => {
  const k1 = key('k1');
  const current = (kid: string) => (kid === 'k1' ? k1 : undefined);

  it('answers a remembered principal until the token expires', () => {
    const sut = new VerifiedTokens({ maxEntries: 10, maxAgeMs: 60_000 });
    sut.remember('t', principal, k1, 5_000, 1_000);

    expect(sut.lookup('t', current, 4_999)).toEqual(principal);
    expect(sut.lookup('t', current, 5_000)).toBeUndefined();
  });

  it('forgets a verdict after maxAgeMs even if the token lives longer', () => {
    const sut = new VerifiedTokens({ maxEntries: 10, maxAgeMs: 1_000 });
    sut.remember('t', principal, k1, 900_000, 0);

    expect(sut.lookup('t', current, 999)).toEqual(principal);
    expect(sut.lookup('t', current, 1_000)).toBeUndefined();
  });

  it('forgets a verdict when its kid names another key now', () => {
    const sut = new VerifiedTokens({ maxEntries: 10, maxAgeMs: 60_000 });
    sut.remember('t', principal, k1, 900_000, 0);
    const rotated = key('k1');

    expect(sut.lookup('t', () => rotated, 1)).toBeUndefined();
    expect(sut.lookup('t', current, 2)).toBeUndefined();
  });

  it('keeps at most maxEntries, forgetting the oldest first', () => {
    const sut = new VerifiedTokens({ maxEntries: 2, maxAgeMs: 60_000 });
    sut.remember('a', principal, k1, 900_000, 0);
    sut.remember('b', principal, k1, 900_000, 0);
    sut.remember('c', principal, k1, 900_000, 0);

    expect(sut.size).toBe(2);
    expect(sut.lookup('a', current, 1)).toBeUndefined();
    expect(sut.lookup('c', current, 1)).toEqual(principal);
  });

  it('hands out copies, so a caller cannot change what the next request sees', () => {
    const sut = new VerifiedTokens({ maxEntries: 10, maxAgeMs: 60_000 });
    sut.remember('t', principal, k1, 900_000, 0);
    sut.lookup('t', current, 1)!.role = 'admin';

    expect(sut.lookup('t', current, 2)).toEqual(principal);
  });
});
