import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Role } from '@app/common';
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

/**
 * Issues access tokens (RFC 9068 shape): `typ: at+jwt`, `kid` of the active key, claims sub, role,
 * iat, exp, iss, aud, jti. The gateway pins algorithm, type, issuer and audience when verifying.
 */
export class AccessTokenSigner {
  constructor(
    private readonly keys: SigningKeyRing,
    private readonly settings: AccessTokenSettings,
  ) {}

  async sign(subject: { userId: string; role: Role }): Promise<SignedAccessToken> {
    const key = this.keys.active;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ role: subject.role })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
      .setSubject(subject.userId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + this.settings.ttlSeconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
    return { token, expiresIn: this.settings.ttlSeconds };
  }
}
