import { expectEventually } from '@test/support/expect-eventually';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { AUTH_PATTERNS } from '@app/contracts';
import { generateTestSigningKey, TestSigningKey } from '@test/support/auth-tokens';
import { AuthStack, call } from './support/auth-stack';

const PASSWORD = 'rotation password 1';

describe('signing key rotation', () => {
  let stack: AuthStack;
  let oldKey: TestSigningKey;
  let newKey: TestSigningKey;
  let email: string;

  const login = async (): Promise<string> => {
    const response = await call(`${stack.url}/v1/auth/login`, { body: { email, password: PASSWORD } });
    expect(response.status).toBe(200);
    return response.body.accessToken as string;
  };
  const me = async (token: string, url = stack.url): Promise<number> =>
    (await call(`${url}/v1/auth/me`, { token })).status;

  /**
   * A token signed with a kid the gateway has not seen is verified once the gateway has refetched
   * the key set, which it does at most once per JWKS_REFETCH_INTERVAL_MS (100 ms here): a test that
   * runs faster than that after the previous refetch sees one 401 first (it did, on a quiet machine).
   */
  const expectAcceptedOnceRefetched = (token: string): Promise<void> =>
    expectEventually(async () => expect(await me(token)).toBe(200), 5000);

  /** Replaces the running auth replica with one configured with `env`. */
  const redeployAuth = async (env: Record<string, string>): Promise<void> => {
    for (const replica of stack.replicas.splice(0)) {
      await replica.close();
    }
    stack.replicas.push(await stack.startReplica(`auth-${randomUUID().slice(0, 4)}`, env));
    await untilAuthAnswers();
  };

  /** A replica listens before the server has its subscription: until then requests find no responder (503). */
  const untilAuthAnswers = async (): Promise<void> => {
    const gateway = await stack.nats.connect('gateway');
    try {
      const ping = JSON.stringify({ pattern: AUTH_PATTERNS.PING, data: {}, id: randomUUID() });
      await expectEventually(async () => {
        const reply = await gateway.request(AUTH_PATTERNS.PING, ping, { timeout: 1000 });
        expect(reply.json()).toMatchObject({ response: { service: 'auth' } });
      });
    } finally {
      await gateway.close();
    }
  };

  beforeAll(async () => {
    stack = await new AuthStack('rotation').start();
    oldKey = stack.key;
    newKey = await generateTestSigningKey('ES256');
    email = `rotate-${randomUUID()}@example.com`;
    await call(`${stack.url}/v1/auth/register`, { body: { email, password: PASSWORD } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('signs with the newest key, still verifies the old one, and the gateway learns the new kid by itself', async () => {
    const before = await login();
    expect(decodeProtectedHeader(before).kid).toBe(oldKey.kid);

    await redeployAuth({ JWT_SIGNING_KEYS: `${oldKey.privatePem}\n${newKey.privatePem}` });
    const after = await login();

    expect(decodeProtectedHeader(after).kid).toBe(newKey.kid);
    expect(await me(after)).toBe(200);
    expect(await me(before)).toBe(200);
    const jwks = await call(`${stack.url}/.well-known/jwks.json`);
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual([oldKey.kid, newKey.kid]);
  });

  it('stops accepting the old key once it is removed (on a gateway with a fresh key set)', async () => {
    await redeployAuth({ JWT_SIGNING_KEYS: oldKey.privatePem });
    const signedByOldKey = await login();
    expect(decodeProtectedHeader(signedByOldKey).kid).toBe(oldKey.kid);

    await redeployAuth({ JWT_SIGNING_KEYS: newKey.privatePem });
    const freshGateway = await stack.startGateway();
    try {
      expect(await me(signedByOldKey, freshGateway.url)).toBe(401);
      expect(await me(await login(), freshGateway.url)).toBe(200);
    } finally {
      await freshGateway.close();
    }
  });

  it('signs with JWT_ACTIVE_KEY_ID when set (publish a key first, sign with it later)', async () => {
    await redeployAuth({
      JWT_SIGNING_KEYS: `${oldKey.privatePem}\n${newKey.privatePem}`,
      JWT_ACTIVE_KEY_ID: oldKey.kid,
    });

    const token = await login();

    expect(decodeProtectedHeader(token).kid).toBe(oldKey.kid);
    const jwks = await call(`${stack.url}/.well-known/jwks.json`);
    expect(jwks.body.keys).toHaveLength(2);
  });

  it('signs EdDSA with an Ed25519 key, read from JWT_SIGNING_KEYS_FILE', async () => {
    const edKey = await generateTestSigningKey('EdDSA');
    const directory = mkdtempSync(join(tmpdir(), 'bazaar-keys-'));
    const file = join(directory, 'signing-keys.pem');
    writeFileSync(file, edKey.privatePem, { mode: 0o600 });
    try {
      await redeployAuth({ JWT_SIGNING_KEYS: '', JWT_SIGNING_KEYS_FILE: file });

      const token = await login();

      expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: edKey.kid, typ: 'at+jwt' });
      await expectAcceptedOnceRefetched(token);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('accepts a JWK set with private parts and its own kids', async () => {
    const { exportJWK } = await import('jose');
    const jwk = { ...(await exportJWK(newKey.privateKey)), kid: 'rotation-2026-11', alg: 'ES256' };
    await redeployAuth({ JWT_SIGNING_KEYS: JSON.stringify({ keys: [jwk] }) });

    const token = await login();

    expect(decodeProtectedHeader(token).kid).toBe('rotation-2026-11');
    await expectAcceptedOnceRefetched(token);
    const jwks = await call(`${stack.url}/.well-known/jwks.json`);
    expect(jwks.text).not.toContain('"d"');
  });
});
