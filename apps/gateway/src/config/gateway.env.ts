import { Expose } from 'class-transformer';
import { IsJSON, IsOptional, IsString, Matches, MaxLength, ValidateBy, ValidationArguments } from 'class-validator';
import { BaseEnv, EnvBoolean, EnvInt } from '@app/common/config';
import { trustProxyProblem } from '../http/trust-proxy';

/** TRUST_PROXY's rule, with the reason a value is refused as the message. */
const IsTrustProxy = (): PropertyDecorator =>
  ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && trustProxyProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => trustProxyProblem(String(args?.value)) ?? 'must be a string',
    },
  });

/** Environment of the gateway (see the configuration reference in the README). */
export class GatewayEnv extends BaseEnv {
  @EnvInt(0, 65535) PORT = 3000;
  @Expose() @IsString() HOST = '0.0.0.0';

  /** Largest accepted request body; docs/api.md#conventions fixes it at 100 KiB. */
  @EnvInt(1024, 10 * 1024 * 1024) BODY_LIMIT_BYTES = 100 * 1024;

  /** Requests per minute per client address; 0 turns the limit off. */
  @EnvInt(0, 1_000_000) RATE_LIMIT_RPM = 1200;

  /**
   * Which X-Forwarded-For hop is the client: `false` (use the socket address), a hop count, or a
   * comma-separated list of trusted proxy addresses/CIDRs (IPv4 and IPv6). Never `true`: see
   * trustProxyProblem.
   */
  @Expose() @IsTrustProxy() TRUST_PROXY = 'false';

  /** Comma-separated origins allowed by CORS; unset means CORS is off. */
  @Expose() @IsOptional() @Matches(/^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/) CORS_ORIGINS?: string;

  /** Whole-request deadline at the HTTP layer; above the RPC timeout so 504s come from the gateway. */
  @EnvInt(1000, 600_000) HTTP_REQUEST_TIMEOUT_MS = 30_000;

  /** Serve the OpenAPI UI and document at /docs. */
  @EnvBoolean() DOCS_ENABLED = true;

  /** `iss` every access token must carry; the same value as the auth service's JWT_ISSUER. */
  @Expose() @IsString() @Matches(/^\S{1,200}$/) JWT_ISSUER = 'bazaar-auth';

  /** `aud` every access token must carry; the same value as the auth service's JWT_AUDIENCE. */
  @Expose() @IsString() @Matches(/^\S{1,200}$/) JWT_AUDIENCE = 'bazaar-api';

  /** How long the JWK set fetched from auth is used before it is fetched again (removed keys stop verifying). */
  @EnvInt(10, 86_400) JWKS_CACHE_TTL_SECONDS = 300;

  /** Least time between two JWK set fetches caused by tokens with an unknown `kid` (bounds what forged kids cost). */
  @EnvInt(100, 600_000) JWKS_REFETCH_INTERVAL_MS = 5000;

  /**
   * Optional JWK set (JSON, public keys only) trusted in addition to the keys fetched from auth:
   * lets tests, and a gateway that must verify through an auth outage at start, trust known keys.
   */
  @Expose() @IsOptional() @IsJSON() @MaxLength(65_536) JWT_TRUSTED_KEYS?: string;

  /** Serve `GET /v1/products/:id` and `GET /v1/products` from the in-memory read cache. */
  @EnvBoolean() READ_CACHE_ENABLED = true;

  /**
   * The staleness bound: a cached answer is served only while every catalog change older than this
   * is known to have reached this replica (catalog relay heartbeats); otherwise reads go to catalog.
   */
  @EnvInt(100, 60_000) READ_CACHE_MAX_STALENESS_MS = 1000;

  /** TTL backstop: the oldest a cached answer can be served, even if the event that changed it was lost. */
  @EnvInt(100, 3_600_000) READ_CACHE_TTL_MS = 60_000;

  /** Most entries kept (products and listing pages together); least recently used go first. */
  @EnvInt(1, 10_000_000) READ_CACHE_MAX_ENTRIES = 50_000;

  /** Most bytes (JSON length of the answers) kept; least recently used go first. */
  @EnvInt(1024, 4 * 1024 * 1024 * 1024) READ_CACHE_MAX_BYTES = 64 * 1024 * 1024;
}
