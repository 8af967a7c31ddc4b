import { createHash, createPrivateKey, createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import type { PublicJwk } from '@app/contracts';
import { SigningAlgorithm, SigningKey } from './signing-key';

/** A configuration problem with the signing keys; its message never contains key material. */
export class SigningKeyConfigError extends Error {
  override readonly name = 'SigningKeyConfigError';
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;
const PRIVATE_PEM_LABELS = new Set(['PRIVATE KEY', 'EC PRIVATE KEY']);

function algorithmOf(key: KeyObject, position: number): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ES256';
  }
  if (key.asymmetricKeyType === 'ed25519') {
    return 'EdDSA';
  }
  throw new SigningKeyConfigError(`key ${position} is ${key.asymmetricKeyType ?? 'unknown'}: use EC P-256 or Ed25519`);
}

/** RFC 7638 thumbprint: SHA-256 over the required members, in lexicographic order. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const required =
    jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(required)).digest('base64url');
}

function signingKeyOf(privateKey: KeyObject, position: number, explicitKid?: unknown): SigningKey {
  if (privateKey.type !== 'private') {
    throw new SigningKeyConfigError(`key ${position} is not a private key`);
  }
  const alg = algorithmOf(privateKey, position);
  const publicParts = createPublicKey(privateKey).export({ format: 'jwk' });
  if (explicitKid !== undefined && (typeof explicitKid !== 'string' || !/^[A-Za-z0-9._-]{1,128}$/.test(explicitKid))) {
    throw new SigningKeyConfigError(`key ${position} has an invalid kid (1–128 of [A-Za-z0-9._-])`);
  }
  const kid = explicitKid ?? jwkThumbprint(publicParts);
  const publicJwk = {
    kty: publicParts.kty,
    crv: publicParts.crv,
    x: publicParts.x,
    ...(publicParts.y ? { y: publicParts.y } : {}),
    kid,
    alg,
    use: 'sig',
  } as PublicJwk;
  return { kid, alg, privateKey, publicJwk };
}

function parseJwks(text: string): SigningKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SigningKeyConfigError('the keys look like JSON but do not parse');
  }
  const list: unknown[] = Array.isArray(parsed)
    ? parsed
    : Array.isArray((parsed as { keys?: unknown }).keys)
      ? (parsed as { keys: unknown[] }).keys
      : [parsed];
  return list.map((jwk, index) => {
    const position = index + 1;
    if (typeof jwk !== 'object' || jwk === null || typeof (jwk as JsonWebKey).d !== 'string') {
      throw new SigningKeyConfigError(`key ${position} is not a private JWK (no "d")`);
    }
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch {
      throw new SigningKeyConfigError(`key ${position} is not a valid private JWK`);
    }
    return signingKeyOf(key, position, (jwk as { kid?: unknown }).kid);
  });
}

function parsePem(text: string): SigningKey[] {
  // Env files often carry PEMs on one line with literal "\n" escapes.
  const pem = text.includes('\n') ? text : text.replace(/\\n/g, '\n');
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) {
    throw new SigningKeyConfigError('no PEM block and no JWK found');
  }
  return blocks.map(([block, label], index) => {
    const position = index + 1;
    if (!PRIVATE_PEM_LABELS.has(label)) {
      throw new SigningKeyConfigError(`key ${position} is a "${label}" block: give the PKCS#8 private key`);
    }
    try {
      return signingKeyOf(createPrivateKey(block), position);
    } catch (error) {
      if (error instanceof SigningKeyConfigError) {
        throw error;
      }
      throw new SigningKeyConfigError(`key ${position} is not a readable private key`);
    }
  });
}

/**
 * Reads every configured signing key, in order: PEM blocks (PKCS#8 or SEC1) or a JWK / JWK set
 * with private parts. kid is the JWK's own, else the RFC 7638 thumbprint, so the same key always
 * has the same kid on every replica.
 */
export function parseSigningKeys(text: string): SigningKey[] {
  const trimmed = text.trim();
  const keys = trimmed.startsWith('{') || trimmed.startsWith('[') ? parseJwks(trimmed) : parsePem(trimmed);
  const kids = new Set<string>();
  for (const key of keys) {
    if (kids.has(key.kid)) {
      throw new SigningKeyConfigError(`kid ${key.kid} is configured twice`);
    }
    kids.add(key.kid);
  }
  return keys;
}
