import { Logger } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import { AuthClient } from '@app/common/clients';
import { DomainError } from '@app/common/errors';
import { JwksResponse, PublicJwk } from '@app/contracts';

export interface VerificationKey {
  kid: string;
  alg: PublicJwk['alg'];
  key: KeyObject;
}

export interface JwksCacheSettings {
  /** After this, the next verification refreshes the set in the background. */
  ttlMs: number;
  /** Least time between two fetches (bounds what a flood of made-up kids costs). */
  refetchIntervalMs: number;
  /** Keys trusted without asking auth (JWT_TRUSTED_KEYS). */
  trusted: unknown[];
}

/** How soon a fetch may follow a failed one (`refetchIntervalMs` applies after a successful fetch). */
const FAILED_FETCH_RETRY_MS = 500;

/** The only key shapes Bazaar signs with; anything else in a JWK set is ignored. */
function verificationKeyOf(jwk: unknown): VerificationKey | undefined {
  if (typeof jwk !== 'object' || jwk === null) {
    return undefined;
  }
  const candidate = jwk as Partial<PublicJwk> & { d?: unknown };
  const es256 = candidate.kty === 'EC' && candidate.crv === 'P-256' && candidate.alg === 'ES256';
  const eddsa = candidate.kty === 'OKP' && candidate.crv === 'Ed25519' && candidate.alg === 'EdDSA';
  if ((!es256 && !eddsa) || typeof candidate.kid !== 'string' || candidate.d !== undefined) {
    return undefined;
  }
  try {
    const { kty, crv, x, y } = candidate;
    const key = createPublicKey({ key: { kty, crv, x, ...(y ? { y } : {}) }, format: 'jwk' });
    return { kid: candidate.kid, alg: candidate.alg!, key };
  } catch {
    return undefined;
  }
}

/**
 * The access-token verification keys: the JWK set fetched from auth over NATS, cached, plus any
 * statically trusted keys. An unknown kid triggers a refetch (a key rotated in), at most once per
 * refetch interval; an old set is refreshed in the background; if auth can't be reached, the
 * last known keys keep working.
 */
export class JwksCache {
  private readonly log = new Logger(JwksCache.name);
  private readonly trusted = new Map<string, VerificationKey>();
  private fetched = new Map<string, VerificationKey>();
  private published?: JwksResponse;
  private fetchedAt = 0;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<void>;
  private failing = false;

  constructor(
    private readonly auth: AuthClient,
    private readonly settings: JwksCacheSettings,
  ) {
    for (const jwk of settings.trusted) {
      const key = verificationKeyOf(jwk);
      if (!key) {
        throw new Error(
          'JWT_TRUSTED_KEYS holds a key that is not a public ES256 (P-256) or EdDSA (Ed25519) JWK with kid',
        );
      }
      this.trusted.set(key.kid, key);
    }
  }

  /** The key for `kid` known now, without fetching (an old set is refreshed in the background). */
  knownKey(kid: string): VerificationKey | undefined {
    const known = this.lookup(kid);
    if (known && this.isStale()) {
      void this.refreshIfAllowed();
    }
    return known;
  }

  /** The key for `kid`, refetching the set once (if allowed now) when the kid is unknown. */
  async keyFor(kid: string): Promise<VerificationKey | undefined> {
    const known = this.knownKey(kid);
    if (known) {
      return known;
    }
    await this.refreshIfAllowed();
    const key = this.lookup(kid);
    if (!key && this.failing) {
      // Auth could not be asked: the token may well be valid. 503 (retry), not a 401 that ends the client's session.
      throw new DomainError('service-unavailable', 'The signing keys could not be fetched from auth yet; retry');
    }
    return key;
  }

  /** What auth publishes, for `GET /.well-known/jwks.json`. */
  async publicJwks(): Promise<JwksResponse> {
    if (!this.published || this.isStale()) {
      await this.refreshIfAllowed();
    }
    if (!this.published) {
      throw new DomainError('service-unavailable', 'The signing keys are not available yet');
    }
    return this.published;
  }

  /** Fetches now, unless a fetch ran within the refetch interval; concurrent callers share one fetch. */
  refreshIfAllowed(): Promise<void> {
    if (this.inFlight) {
      return this.inFlight;
    }
    // The interval bounds how often a reachable auth is asked about unknown kids; after a failed
    // fetch (auth not up yet, say, when every process starts at once) the next one comes soon.
    const interval = this.failing
      ? Math.min(FAILED_FETCH_RETRY_MS, this.settings.refetchIntervalMs)
      : this.settings.refetchIntervalMs;
    if (Date.now() - this.lastAttemptAt < interval) {
      return Promise.resolve();
    }
    this.lastAttemptAt = Date.now();
    this.inFlight = this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetch(): Promise<void> {
    try {
      const jwks = await this.auth.jwks();
      const keys = (jwks.keys ?? []).map(verificationKeyOf).filter((key): key is VerificationKey => key !== undefined);
      this.fetched = new Map(keys.map((key) => [key.kid, key]));
      this.published = { keys: jwks.keys.filter((jwk) => this.fetched.has(jwk.kid)) };
      this.fetchedAt = Date.now();
      if (this.failing) {
        this.log.log(`JWK set fetched again (${keys.length} key(s))`);
      }
      this.failing = false;
    } catch (error) {
      // First failure at warn, the rest at debug: a gateway without auth would otherwise log every few seconds.
      const log = this.failing ? this.log.debug.bind(this.log) : this.log.warn.bind(this.log);
      log({ err: error }, 'Could not fetch the JWK set from auth; using the keys known so far');
      this.failing = true;
    }
  }

  private lookup(kid: string): VerificationKey | undefined {
    return this.fetched.get(kid) ?? this.trusted.get(kid);
  }

  private isStale(): boolean {
    return Date.now() - this.fetchedAt > this.settings.ttlMs;
  }
}
