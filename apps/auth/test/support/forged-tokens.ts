import { createHmac, randomUUID } from 'node:crypto';
import { JWTPayload, SignJWT } from 'jose';
import { generateTestSigningKey, TestSigningKey } from '@test/support/auth-tokens';

export interface TokenClaims extends JWTPayload {
  role?: string;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs whatever header and claims a test asks for with a real key (valid or subtly wrong tokens). */
export async function signWith(
  key: TestSigningKey,
  claims: TokenClaims,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey);
}

/** Claims exactly like the auth service's, for `issuer`/`audience`, overridable. */
export function goodClaims(issuer: string, audience: string, overrides: TokenClaims = {}): TokenClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: randomUUID(),
    role: 'admin',
    iss: issuer,
    aud: audience,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
    ...overrides,
  };
}

/**
 * The forgeries docs/api.md#authentication and the issue name, plus a few more, each paired with a label. Every one
 * must be refused with 401 on every protected route.
 */
export async function forgedTokens(
  key: TestSigningKey,
  issuer: string,
  audience: string,
): Promise<Array<[label: string, token: string]>> {
  const claims = goodClaims(issuer, audience);
  const now = Math.floor(Date.now() / 1000);
  const valid = await signWith(key, claims);
  const [header, payload, signature] = valid.split('.');
  const stranger = await generateTestSigningKey('ES256');
  const strangerEd = await generateTestSigningKey('EdDSA');
  const publicPem = (await import('node:crypto'))
    .createPublicKey(key.privateKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const hs256 = (secret: string | Buffer): string => {
    const head = b64({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' });
    const body = b64(claims);
    const mac = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${mac}`;
  };
  return [
    ['alg none', `${b64({ alg: 'none', kid: key.kid, typ: 'at+jwt' })}.${payload}.`],
    ['alg none, no kid', `${b64({ alg: 'none' })}.${payload}.`],
    ['HS256 keyed with the public key PEM', hs256(publicPem)],
    ['HS256 keyed with the public JWK JSON', hs256(JSON.stringify(key.publicJwk))],
    ['tampered role claim', `${header}.${b64({ ...claims, role: 'admin', sub: randomUUID() })}.${signature}`],
    ['tampered expiry', `${header}.${b64({ ...claims, exp: now + 86_400 })}.${signature}`],
    ['header swapped to EdDSA', `${b64({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })}.${payload}.${signature}`],
    ['truncated signature', `${header}.${payload}.${signature.slice(0, -4)}`],
    ['expired', await signWith(key, { ...claims, iat: now - 600, exp: now - 60 })],
    ['not yet valid (iat far in the future)', await signWith(key, { ...claims, iat: now + 3600, exp: now + 3900 })],
    ['wrong issuer', await signWith(key, { ...claims, iss: 'https://evil.example' })],
    ['wrong audience', await signWith(key, { ...claims, aud: 'another-api' })],
    ['no audience', await signWith(key, { ...claims, aud: undefined })],
    ['wrong typ (a plain JWT)', await signWith(key, claims, { typ: 'JWT' })],
    ['lifetime over 15 minutes', await signWith(key, { ...claims, exp: now + 3600 })],
    ['unknown role', await signWith(key, { ...claims, role: 'superuser' })],
    ['subject not a uuid', await signWith(key, { ...claims, sub: 'admin' })],
    ['no jti', await signWith(key, { ...claims, jti: undefined })],
    ['unknown kid (a stranger key)', await signWith(stranger, claims)],
    ['stranger key claiming the real kid', await signWith(stranger, claims, { kid: key.kid })],
    ['stranger EdDSA key claiming the real kid', await signWith(strangerEd, claims, { kid: key.kid })],
    ['no kid', await signWith(key, claims, { kid: undefined })],
    ['garbage', 'not.a.jwt'],
  ];
}
