import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: 43 characters, opaque to clients. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the database keeps instead of the token. The token is uniformly random, so SHA-256 is a
 * sufficient one-way function (no salt or slow hash needed: there is nothing to guess).
 */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
