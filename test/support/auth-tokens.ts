import { generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, JWK, SignJWT } from 'jose';
import type { Role } from '@app/contracts';
import { gatewayApi, seen } from './gateway-api';

/**
 * Access tokens for tests, without running the auth service.
 *
 *   const tokens = await TestTokenIssuer.create();
 *   const gateway = await startGatewayInProcess({ ...nats.env('gateway'), ...tokens.gatewayEnv() });
 *   const admin = await tokens.adminToken();            // a random admin user id
 *   await gatewayApi(url).GET('/v1/auth/me', { headers: tokens.bearer(admin) });
 *   const { userId, token } = await tokens.customer();   // when the test needs the id too
 *
 * `gatewayEnv()` makes the gateway trust this issuer's public key (JWT_TRUSTED_KEYS) with the
 * issuer and audience the tokens carry. `authServiceEnv()` gives an auth service replica the
 * private key, for suites that run the real auth service and want both to agree. The user ids
 * minted here exist in no auth database: that is fine for services that only use the principal.
 * To go through real registration and login instead, use `registerAndLogin(gatewayUrl)`.
 */

export const TEST_JWT_ISSUER = 'bazaar-test-auth';
export const TEST_JWT_AUDIENCE = 'bazaar-test-api';

export type TestSigningAlgorithm = 'ES256' | 'EdDSA';

export interface TestSigningKey {
  kid: string;
  alg: TestSigningAlgorithm;
  privateKey: KeyObject;
  /** PKCS#8 PEM, the format JWT_SIGNING_KEYS takes. */
  privatePem: string;
  publicJwk: JWK;
}

export async function generateTestSigningKey(alg: TestSigningAlgorithm = 'ES256'): Promise<TestSigningKey> {
  const { privateKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const { d: _private, ...publicParts } = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicParts);
  return {
    kid,
    alg,
    privateKey,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicJwk: { ...publicParts, kid, alg, use: 'sig' },
  };
}

export interface MintOptions {
  userId?: string;
  role: Role;
  /** Lifetime; negative mints an already expired token. Default 300 s. */
  ttlSeconds?: number;
}

export class TestTokenIssuer {
  private constructor(
    readonly key: TestSigningKey,
    readonly issuer: string,
    readonly audience: string,
  ) {}

  static async create(
    options: { alg?: TestSigningAlgorithm; issuer?: string; audience?: string } = {},
  ): Promise<TestTokenIssuer> {
    return new TestTokenIssuer(
      await generateTestSigningKey(options.alg),
      options.issuer ?? TEST_JWT_ISSUER,
      options.audience ?? TEST_JWT_AUDIENCE,
    );
  }

  /** Gateway settings that trust this issuer's key (add `nats.env('gateway')` etc. yourself). */
  gatewayEnv(): Record<string, string> {
    return {
      JWT_ISSUER: this.issuer,
      JWT_AUDIENCE: this.audience,
      JWT_TRUSTED_KEYS: JSON.stringify({ keys: [this.key.publicJwk] }),
    };
  }

  /** Auth service settings that sign with this issuer's key (add DATABASE_URL, `nats.env('auth')` etc.). */
  authServiceEnv(): Record<string, string> {
    return { JWT_ISSUER: this.issuer, JWT_AUDIENCE: this.audience, JWT_SIGNING_KEYS: this.key.privatePem };
  }

  /** A valid access token, shaped exactly like the auth service's. */
  async accessToken(options: MintOptions): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ role: options.role })
      .setProtectedHeader({ alg: this.key.alg, kid: this.key.kid, typ: 'at+jwt' })
      .setSubject(options.userId ?? randomUUID())
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.ttlSeconds ?? 300))
      .setJti(randomUUID())
      .sign(this.key.privateKey);
  }

  adminToken(userId?: string): Promise<string> {
    return this.accessToken({ userId, role: 'admin' });
  }

  customerToken(userId?: string): Promise<string> {
    return this.accessToken({ userId, role: 'customer' });
  }

  async admin(): Promise<{ userId: string; token: string }> {
    const userId = randomUUID();
    return { userId, token: await this.adminToken(userId) };
  }

  async customer(): Promise<{ userId: string; token: string }> {
    const userId = randomUUID();
    return { userId, token: await this.customerToken(userId) };
  }

  bearer(token: string): { authorization: string } {
    return bearer(token);
  }
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export interface LoggedInUser {
  user: { id: string; email: string; name: string | null; role: Role; createdAt: string };
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Logs in through the gateway (real auth service) and returns the token pair. */
export async function loginThroughGateway(
  gatewayUrl: string,
  email: string,
  password: string,
): Promise<{ accessToken: string; refreshToken: string }> {
  const login = await seen(gatewayApi(gatewayUrl).POST('/v1/auth/login', { body: { email, password } }));
  if (login.status !== 200) {
    throw new Error(`login of ${email} answered ${login.status}: ${JSON.stringify(login.body)}`);
  }
  return login.body;
}

/** Registers a fresh customer through the gateway (real auth service), then logs it in. */
export async function registerAndLogin(
  gatewayUrl: string,
  options: { email?: string; password?: string; name?: string } = {},
): Promise<LoggedInUser> {
  const email = options.email ?? `user-${randomUUID()}@example.test`;
  const password = options.password ?? `pw-${randomUUID()}`;
  const registered = await seen(
    gatewayApi(gatewayUrl).POST('/v1/auth/register', {
      body: { email, password, ...(options.name ? { name: options.name } : {}) },
    }),
  );
  if (registered.status !== 201) {
    throw new Error(`register of ${email} answered ${registered.status}: ${JSON.stringify(registered.body)}`);
  }
  const tokens = await loginThroughGateway(gatewayUrl, email, password);
  return { user: registered.body, email, password, ...tokens };
}
