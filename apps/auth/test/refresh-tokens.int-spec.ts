import { randomUUID } from 'node:crypto';
import { queryDatabase } from '@test/support/test-database';
import { AuthStack, call, JsonResponse } from './support/auth-stack';

const PASSWORD = 'a perfectly long password';

describe('refresh tokens', () => {
  let stack: AuthStack;

  beforeAll(async () => {
    stack = await new AuthStack('refresh', {}, {}).start(2);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function login(): Promise<{ accessToken: string; refreshToken: string; userId: string }> {
    const email = `refresh-${randomUUID()}@example.com`;
    const registered = await call(`${stack.url}/v1/auth/register`, { body: { email, password: PASSWORD } });
    const response = await call(`${stack.url}/v1/auth/login`, { body: { email, password: PASSWORD } });
    expect(response.status).toBe(200);
    return { ...response.body, userId: registered.body.id };
  }

  const refresh = (refreshToken: string): Promise<JsonResponse> =>
    call(`${stack.url}/v1/auth/refresh`, { body: { refreshToken } });

  it('rotates: a refresh answers a new pair, and the new access token works', async () => {
    const first = await login();

    const sut = await refresh(first.refreshToken);

    expect(sut.status).toBe(200);
    expect(sut.headers.get('cache-control')).toBe('no-store');
    expect(sut.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(sut.body.refreshToken).not.toBe(first.refreshToken);
    expect(sut.body.accessToken).not.toBe(first.accessToken);
    const me = await call(`${stack.url}/v1/auth/me`, { token: sut.body.accessToken });
    expect(me.body.id).toBe(first.userId);
  });

  it('treats a spent token as reuse: 401, and the whole family (its successors too) is revoked', async () => {
    const first = await login();
    const second = await refresh(first.refreshToken);
    const third = await refresh(second.body.refreshToken);
    expect(third.status).toBe(200);

    const reuse = await refresh(first.refreshToken);

    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ code: 'unauthorized' });
    // Revoked by the reuse itself, before anyone uses the family again (not by what comes next).
    const families = await queryDatabase<{ revoked_reason: string | null }>(
      stack.database.url,
      'SELECT revoked_reason FROM refresh_token_families WHERE user_id = $1',
      [first.userId],
    );
    expect(families).toEqual([{ revoked_reason: 'reuse' }]);
    const successor = await refresh(third.body.refreshToken);
    expect(successor.status).toBe(401);
  });

  it('leaves the user’s other sessions alone when one family is revoked', async () => {
    const email = `two-sessions-${randomUUID()}@example.com`;
    await call(`${stack.url}/v1/auth/register`, { body: { email, password: PASSWORD } });
    const laptop = await call(`${stack.url}/v1/auth/login`, { body: { email, password: PASSWORD } });
    const phone = await call(`${stack.url}/v1/auth/login`, { body: { email, password: PASSWORD } });
    await refresh(laptop.body.refreshToken);
    await refresh(laptop.body.refreshToken);

    const sut = await refresh(phone.body.refreshToken);

    expect(sut.status).toBe(200);
  });

  it('lets exactly one of many concurrent refreshes with the same token succeed (across two replicas)', async () => {
    for (let round = 0; round < 5; round++) {
      const first = await login();

      const results = await Promise.all(Array.from({ length: 8 }, () => refresh(first.refreshToken)));

      const statuses = results.map((result) => result.status).sort();
      expect(statuses).toEqual([200, 401, 401, 401, 401, 401, 401, 401]);
      const rows = await queryDatabase<{ count: string }>(
        stack.database.url,
        `SELECT count(*) FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id WHERE f.user_id = $1`,
        [first.userId],
      );
      // The login's token and exactly one successor: no second rotation happened.
      expect(Number(rows[0].count)).toBe(2);
    }
  });

  it('answers 401 for an unknown token', async () => {
    const sut = await refresh('x'.repeat(43));

    expect(sut.status).toBe(401);
    expect(sut.body.code).toBe('unauthorized');
  });

  it('answers 401 for an expired token', async () => {
    const first = await login();
    await queryDatabase(
      stack.database.url,
      `UPDATE refresh_tokens SET expires_at = now() - interval '1 second'
        WHERE family_id IN (SELECT id FROM refresh_token_families WHERE user_id = $1)`,
      [first.userId],
    );

    const sut = await refresh(first.refreshToken);

    expect(sut.status).toBe(401);
  });

  it('gives new tokens the configured lifetime (30 days by default)', async () => {
    const first = await login();

    const [row] = await queryDatabase<{ days: string }>(
      stack.database.url,
      `SELECT round(extract(epoch FROM t.expires_at - t.created_at) / 86400) AS days
         FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id WHERE f.user_id = $1`,
      [first.userId],
    );

    expect(Number(row.days)).toBe(30);
  });

  it('rejects a body with unknown fields or a non-string token', async () => {
    const extra = await call(`${stack.url}/v1/auth/refresh`, { body: { refreshToken: 'abc', userId: randomUUID() } });
    const numeric = await call(`${stack.url}/v1/auth/refresh`, { body: { refreshToken: 42 } });

    expect(extra.status).toBe(400);
    expect(numeric.status).toBe(400);
  });

  describe('logout', () => {
    it('answers 204 and revokes the family: neither the token nor its successors refresh any more', async () => {
      const first = await login();
      const second = await refresh(first.refreshToken);

      const sut = await call(`${stack.url}/v1/auth/logout`, { body: { refreshToken: second.body.refreshToken } });

      expect(sut.status).toBe(204);
      expect(sut.text).toBe('');
      expect((await refresh(second.body.refreshToken)).status).toBe(401);
      const [family] = await queryDatabase<{ revoked_reason: string }>(
        stack.database.url,
        'SELECT revoked_reason FROM refresh_token_families WHERE user_id = $1',
        [first.userId],
      );
      expect(family.revoked_reason).toBe('logout');
    });

    it('answers 204 for an unknown or already revoked token (idempotent)', async () => {
      const first = await login();
      await call(`${stack.url}/v1/auth/logout`, { body: { refreshToken: first.refreshToken } });

      const again = await call(`${stack.url}/v1/auth/logout`, { body: { refreshToken: first.refreshToken } });
      const unknown = await call(`${stack.url}/v1/auth/logout`, { body: { refreshToken: 'y'.repeat(43) } });

      expect(again.status).toBe(204);
      expect(unknown.status).toBe(204);
    });
  });
});
