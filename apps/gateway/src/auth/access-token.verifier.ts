import { decodeProtectedHeader, errors as joseErrors, JWTPayload, jwtVerify, ProtectedHeaderParameters } from 'jose';
import { DomainError } from '@app/common/errors';
import { Principal } from './principal';
import { Role, ROLES } from '@app/contracts';
import { JwksCache, VerificationKey } from './jwks-cache';
import { VerifiedTokens } from './verified-tokens';

export interface AccessTokenPolicy {
  issuer: string;
  audience: string;
}

/** docs/api.md#authentication caps access tokens at 15 minutes; a longer-lived one was not issued by our auth service. */
const MAX_LIFETIME_SECONDS = 900;
const CLOCK_TOLERANCE_SECONDS = 5;
const ALGORITHMS = ['ES256', 'EdDSA'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const INVALID_TOKEN = 'The access token is missing, invalid or expired';

function unauthorized(cause?: unknown): DomainError {
  return new DomainError('unauthorized', INVALID_TOKEN, { cause });
}

function headerOf(token: string): ProtectedHeaderParameters & { kid: string; alg: string } {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw unauthorized(error);
  }
  if (typeof header.kid !== 'string' || typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) {
    throw unauthorized();
  }
  return header as ProtectedHeaderParameters & { kid: string; alg: string };
}

/** The claims jose does not check: our subject, role and id shapes, and a plausible lifetime. */
function principalOf(payload: JWTPayload): Principal {
  const { sub, jti, role, iat = 0, exp = 0 } = payload;
  const issuedInTheFuture = iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS;
  const lifetime = exp - iat;
  if (
    issuedInTheFuture ||
    typeof sub !== 'string' ||
    !UUID.test(sub) ||
    typeof jti !== 'string' ||
    !ROLES.includes(role as Role) ||
    lifetime <= 0 ||
    lifetime > MAX_LIFETIME_SECONDS
  ) {
    throw unauthorized();
  }
  return { userId: sub, role: role as Role, tokenId: jti };
}

/**
 * Verifies an access token locally, with no call to auth per request: the signature against the
 * cached key named by `kid` (whose algorithm must match the header's, so neither `none` nor an
 * HMAC keyed with a public key can pass), type `at+jwt`, issuer, audience, expiry, and the claims.
 */
export class AccessTokenVerifier {
  private readonly currentKey = (kid: string) => this.keys.knownKey(kid);

  constructor(
    private readonly keys: JwksCache,
    private readonly policy: AccessTokenPolicy,
    private readonly verified = new VerifiedTokens({ maxEntries: 10_000, maxAgeMs: 60_000 }),
  ) {}

  async verify(token: string): Promise<Principal> {
    const known = this.verified.lookup(token, this.currentKey);
    if (known) {
      return known;
    }
    const header = headerOf(token);
    const key = await this.keys.keyFor(header.kid);
    if (!key || key.alg !== header.alg) {
      throw unauthorized();
    }
    const claims = await this.verifiedClaims(token, key);
    const principal = principalOf(claims);
    // jose accepts a token while floor(now / 1000) < exp + tolerance, i.e. up to this instant.
    this.verified.remember(token, principal, key, ((claims.exp ?? 0) + CLOCK_TOLERANCE_SECONDS) * 1000);
    return principal;
  }

  private async verifiedClaims(token: string, key: VerificationKey): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, key.key, {
        algorithms: [key.alg],
        issuer: this.policy.issuer,
        audience: this.policy.audience,
        typ: 'at+jwt',
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
      });
      return payload;
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) {
        throw unauthorized(error);
      }
      throw error;
    }
  }
}
