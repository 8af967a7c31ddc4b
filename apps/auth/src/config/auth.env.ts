import { Expose } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { EnvInt, ServiceEnv } from '@app/common/config';

/** OWASP's Password Storage Cheat Sheet floor for argon2id: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_FLOOR = { memoryKib: 19_456, timeCost: 2 } as const;

/** Environment of the auth service (see the configuration reference in the README). */
export class AuthEnv extends ServiceEnv {
  @EnvInt(0, 65535) override OPS_PORT = 3001;

  /** `iss` of the access tokens; the gateway's JWT_ISSUER must match. */
  @Expose() @IsString() @Matches(/^\S{1,200}$/) JWT_ISSUER = 'bazaar-auth';

  /** `aud` of the access tokens; the gateway's JWT_AUDIENCE must match. */
  @Expose() @IsString() @Matches(/^\S{1,200}$/) JWT_AUDIENCE = 'bazaar-api';

  /** Access-token lifetime; docs/api.md#authentication caps it at 15 minutes. */
  @EnvInt(30, 900) ACCESS_TOKEN_TTL_SECONDS = 900;

  /**
   * Idle lifetime of a refresh token: each refresh issues a new token with a fresh one, so only an
   * unused session ends by it.
   */
  @EnvInt(1, 365) REFRESH_TOKEN_TTL_DAYS = 30;

  /**
   * Absolute lifetime of a session (a refresh-token family), counted from the login that started it:
   * refreshing never extends it. 30 days is OWASP ASVS 4.0 V3.3.2 level 1 (docs/operations.md, Sessions).
   */
  @EnvInt(1, 365 * 24) REFRESH_FAMILY_ABSOLUTE_TTL_HOURS = 30 * 24;

  /**
   * Access-token signing keys, inline: PKCS#8 PEM blocks (EC P-256 → ES256, Ed25519 → EdDSA), or a
   * JWK / JWK set JSON with private parts. Several keys rotate without downtime: the last listed (or
   * JWT_ACTIVE_KEY_ID) signs, every listed key's public part is in the JWKS. Set this or the _FILE form.
   */
  @Expose()
  @ValidateIf((env: AuthEnv) => env.JWT_SIGNING_KEYS_FILE === undefined)
  @Matches(/^[\s\S]{1,65536}$/, { message: 'set JWT_SIGNING_KEYS or JWT_SIGNING_KEYS_FILE (at most 64 KiB)' })
  JWT_SIGNING_KEYS?: string;

  /** Path of a file (e.g. a mounted secret) holding what JWT_SIGNING_KEYS would hold. */
  @Expose() @IsOptional() @IsString() @MaxLength(4096) JWT_SIGNING_KEYS_FILE?: string;

  /** `kid` of the key that signs, for two-step rotations (publish first, sign later); default: the last key. */
  @Expose() @IsOptional() @IsString() @Matches(/^[A-Za-z0-9._-]{1,128}$/) JWT_ACTIVE_KEY_ID?: string;

  /** Bootstrap admin: created, or updated to this password and role, at start. Set both or neither. */
  @Expose()
  @ValidateIf((env: AuthEnv) => env.ADMIN_PASSWORD !== undefined || env.ADMIN_EMAIL !== undefined)
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email (set both ADMIN_EMAIL and ADMIN_PASSWORD, or neither)' })
  @MaxLength(254)
  ADMIN_EMAIL?: string;

  /** Password of the bootstrap admin (8–128 characters). */
  @Expose()
  @ValidateIf((env: AuthEnv) => env.ADMIN_PASSWORD !== undefined || env.ADMIN_EMAIL !== undefined)
  @IsString({ message: 'ADMIN_PASSWORD must be set with ADMIN_EMAIL' })
  @Length(8, 128)
  ADMIN_PASSWORD?: string;

  /**
   * `me` look-ups read together (UsersService.get): those that arrive in one event-loop turn, or
   * while a batch is read, are one statement, up to this many. 1 turns it off: a statement each.
   */
  @EnvInt(1, 500) USER_LOOKUP_MAX_BATCH = 64;

  /** Batches of look-ups being read at once per replica; each holds a pool connection. */
  @EnvInt(1, 16) USER_LOOKUP_MAX_IN_FLIGHT = 2;

  /** Failed logins per email within the window before further attempts get 429. */
  @EnvInt(1, 1000) LOGIN_MAX_FAILURES_PER_EMAIL = 5;

  /** Failed logins per client address within the window before further attempts get 429. */
  @EnvInt(1, 100_000) LOGIN_MAX_FAILURES_PER_ADDRESS = 50;

  /** Length of the sliding window failed logins are counted in. */
  @EnvInt(60, 86_400) LOGIN_FAILURE_WINDOW_SECONDS = 900;

  /**
   * Registration attempts (created or 409 alike) per client address within the window before further
   * ones get 429. Keep it at or below LOGIN_MAX_FAILURES_PER_ADDRESS per the same window, so a 409
   * (which tells an email is registered) is never cheaper to get than a login attempt.
   */
  @EnvInt(1, 100_000) REGISTRATION_MAX_ATTEMPTS_PER_ADDRESS = 50;

  /** Length of the sliding window registration attempts are counted in. */
  @EnvInt(60, 86_400) REGISTRATION_ATTEMPT_WINDOW_SECONDS = 900;

  /** argon2id memory per hash, in KiB; never below OWASP's 19 MiB. */
  @EnvInt(ARGON2_FLOOR.memoryKib, 4 * 1024 * 1024) ARGON2_MEMORY_KIB = ARGON2_FLOOR.memoryKib;

  /** argon2id passes; never below OWASP's 2 (at 19 MiB). */
  @EnvInt(ARGON2_FLOOR.timeCost, 100) ARGON2_TIME_COST = ARGON2_FLOOR.timeCost;

  /** argon2id lanes. */
  @EnvInt(1, 16) ARGON2_PARALLELISM = 1;

  /**
   * Nice value of the threads that hash passwords (libuv's pool), so request handling is scheduled
   * before hashing when both want the CPU; 0 leaves them at normal priority (passwords/hashing-threads.ts).
   */
  @EnvInt(0, 19) HASHING_THREAD_NICE = 10;
}
