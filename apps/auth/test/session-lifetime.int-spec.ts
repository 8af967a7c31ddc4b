import { randomUUID } from 'node:crypto';
import { queryDatabase } from '@test/support/test-database';
import { HousekeepingService } from '../src/housekeeping/housekeeping.service';
import { INVALID_REFRESH_TOKEN } from '../src/sessions/refresh-token.store';
import { AuthStack, call, JsonResponse } from './support/auth-stack';

const PASSWORD = 'a perfectly long password';
/** Not the default (720), so a setting that doesn't reach the store shows. */
const ABSOLUTE_TTL_HOURS = 48;

describe('absolute session lifetime', () => {
  let stack: AuthStack;

  beforeAll(async () => {
    stack = await new AuthStack('lifetime', { REFRESH_FAMILY_ABSOLUTE_TTL_HOURS: String(ABSOLUTE_TTL_HOURS) }).start(2);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function register(): Promise<{ email: string; userId: string }> {
    const email = `lifetime-${randomUUID()}@example.com`;
    const registered = await call(`${stack.url}/v1/auth/register`, { body: { email, password: PASSWORD } });
    expect(registered.status).toBe(201);
    return { email, userId: registered.body.id };
  }

  async function login(email: string): Promise<string> {
    const response = await call(`${stack.url}/v1/auth/login`, { body: { email, password: PASSWORD } });
    expect(response.status).toBe(200);
    return response.body.refreshToken;
  }

  const refresh = (refreshToken: string): Promise<JsonResponse> =>
    call(`${stack.url}/v1/auth/refresh`, { body: { refreshToken } });

  /** Moves the families' logins back in time: the clock can't be advanced, the start can. */
  const ageFamilies = (userId: string, age: string): Promise<unknown> =>
    queryDatabase(
      stack.database.url,
      `UPDATE refresh_token_families SET created_at = now() - $2::interval WHERE user_id = $1`,
      [userId, age],
    );

  const families = (userId: string): Promise<Array<{ revoked_reason: string | null; tokens: string }>> =>
    queryDatabase(
      stack.database.url,
      `SELECT f.revoked_reason, (SELECT count(*) FROM refresh_tokens t WHERE t.family_id = f.id) AS tokens
         FROM refresh_token_families f WHERE f.user_id = $1`,
      [userId],
    );

  it('keeps rotating a session within its absolute lifetime', async () => {
    const { email, userId } = await register();
    const first = await login(email);
    await ageFamilies(userId, `${ABSOLUTE_TTL_HOURS - 1} hours`);

    const sut = await refresh(first);

    expect(sut.status).toBe(200);
  });

  it('refuses a refresh past the absolute lifetime like an expired token, however fresh the token, and ends the family', async () => {
    const { email, userId } = await register();
    const second = await refresh(await login(email));
    const third = await refresh(second.body.refreshToken);
    expect(third.status).toBe(200);
    await ageFamilies(userId, `${ABSOLUTE_TTL_HOURS} hours`);
    const [token] = await queryDatabase<{ idle_left: boolean }>(
      stack.database.url,
      `SELECT expires_at > now() + interval '29 days' AS idle_left FROM refresh_tokens WHERE used_at IS NULL
          AND family_id IN (SELECT id FROM refresh_token_families WHERE user_id = $1)`,
      [userId],
    );
    expect(token.idle_left).toBe(true); // the token's own lifetime is nowhere near its end

    const sut = await refresh(third.body.refreshToken);

    expect(sut.status).toBe(401);
    expect(sut.body).toMatchObject({ code: 'unauthorized', status: 401, detail: INVALID_REFRESH_TOKEN });
    expect(await families(userId)).toEqual([{ revoked_reason: 'expired', tokens: '3' }]);
  });

  it('ends only the family that outlived its lifetime: a later login of the same user still refreshes', async () => {
    const { email, userId } = await register();
    const old = await login(email);
    await ageFamilies(userId, `${ABSOLUTE_TTL_HOURS + 1} hours`);
    const recent = await login(email);

    const refusedOld = await refresh(old);
    const sut = await refresh(recent);

    expect(refusedOld.status).toBe(401);
    expect(sut.status).toBe(200);
  });

  it('refuses every one of many concurrent refreshes of an expired session (two replicas) and issues no successor', async () => {
    const { email, userId } = await register();
    const token = await login(email);
    await ageFamilies(userId, `${ABSOLUTE_TTL_HOURS} hours`);

    const results = await Promise.all(Array.from({ length: 8 }, () => refresh(token)));

    expect(results.map((result) => result.status)).toEqual(Array(8).fill(401));
    expect(await families(userId)).toEqual([{ revoked_reason: 'expired', tokens: '1' }]);
  });

  it('prunes families a day past their absolute lifetime, with their tokens, and keeps the rest', async () => {
    const pruned = await register();
    const graced = await register();
    const young = await register();
    for (const user of [pruned, graced, young]) {
      await refresh(await login(user.email)); // a token that is still within its idle lifetime
    }
    await ageFamilies(pruned.userId, `${ABSOLUTE_TTL_HOURS + 25} hours`);
    await ageFamilies(graced.userId, `${ABSOLUTE_TTL_HOURS + 23} hours`);

    await stack.replicas[0].app.get(HousekeepingService).sweep();

    expect(await families(pruned.userId)).toEqual([]);
    expect(await families(graced.userId)).toEqual([{ revoked_reason: null, tokens: '2' }]);
    expect(await families(young.userId)).toEqual([{ revoked_reason: null, tokens: '2' }]);
    const orphans = await queryDatabase(
      stack.database.url,
      `SELECT 1 FROM refresh_tokens t WHERE NOT EXISTS (SELECT 1 FROM refresh_token_families f WHERE f.id = t.family_id)`,
    );
    expect(orphans).toEqual([]);
  });
});
