import { randomUUID, sign } from 'node:crypto';
import type { Role } from '@app/contracts';
import { SigningKey } from './signing-key';
import { SigningKeyRing } from './signing-key-ring';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface SignedAccessToken {
  token: string;
  expiresIn: number;
}

const base64url = (json: object): string => Buffer.from(JSON.stringify(json)).toString('base64url');

/** JWS signature bytes (RFC 7518 3.4: ES256 is r‖s, not DER; RFC 8037: Ed25519 over the input). */
function signatureOf(key: SigningKey, input: string): Buffer {
  const data = Buffer.from(input);
  switch (key.alg) {
    case 'ES256':
      return sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, data, key.privateKey);
  }
}

/**
 * Issues access tokens (RFC 9068 shape): `typ: at+jwt`, `kid` of the active key, claims sub, role,
 * iat, exp, iss, aud, jti. The gateway pins algorithm, type, issuer and audience when verifying.
 *
 * Signed with node:crypto's synchronous `sign` (≈ 50 µs for ES256) rather than jose's WebCrypto:
 * WebCrypto runs every signature as a job on libuv's thread pool, where at login it queued behind
 * the argon2 hashes filling that pool, so each login waited for a second pass through the whole
 * hash queue (about doubling its latency under load) for work the event loop does in microseconds.
 * The compact serialization is the JWS spec's; the tests verify the tokens with jose.
 */
export class AccessTokenSigner {
  constructor(
    private readonly keys: SigningKeyRing,
    private readonly settings: AccessTokenSettings,
  ) {}

  sign(subject: { userId: string; role: Role }): SignedAccessToken {
    const key = this.keys.active;
    const now = Math.floor(Date.now() / 1000);
    const header = base64url({ alg: key.alg, kid: key.kid, typ: 'at+jwt' });
    const claims = base64url({
      role: subject.role,
      sub: subject.userId,
      iss: this.settings.issuer,
      aud: this.settings.audience,
      iat: now,
      exp: now + this.settings.ttlSeconds,
      jti: randomUUID(),
    });
    const input = `${header}.${claims}`;
    return { token: `${input}.${signatureOf(key, input).toString('base64url')}`, expiresIn: this.settings.ttlSeconds };
  }
}
