import { randomUUID } from 'node:crypto';
import { queryDatabase } from '@test/support/test-database';
import { AuthStack, call, JsonResponse } from './support/auth-stack';

const ADMIN_PASSWORD = `admin-secret-${randomUUID()}`;

/**
 * Exercises every auth route, successes and failures, with every log level on, then looks for
 * secrets in every response and every log line of every app: passwords, password hashes, refresh
 * tokens, access tokens, and the signing key.
 */
describe('secrets never leak', () => {
  let stack: AuthStack;
  const responses: JsonResponse[] = [];
  const passwords: string[] = [ADMIN_PASSWORD];
  const refreshTokens: string[] = [];
  const accessTokens: string[] = [];

  const record = async (response: Promise<JsonResponse>): Promise<JsonResponse> => {
    const result = await response;
    responses.push(result);
    return result;
  };

  beforeAll(async () => {
    stack = await new AuthStack('secrets', {
      LOG_LEVEL: 'trace',
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD,
    }).start();
    const email = `secret-${randomUUID()}@example.com`;
    const password = `user-secret-${randomUUID()}`;
    passwords.push(password);
    const url = stack.url;
    await record(call(`${url}/v1/auth/register`, { body: { email, password, name: 'Sam' } }));
    await record(call(`${url}/v1/auth/register`, { body: { email, password } }));
    const shortPassword = `s${randomUUID().slice(0, 3)}`;
    passwords.push(shortPassword);
    await record(call(`${url}/v1/auth/register`, { body: { email: 'x@example.com', password: shortPassword } }));
    const wrongPassword = `wrong-secret-${randomUUID()}`;
    passwords.push(wrongPassword);
    await record(call(`${url}/v1/auth/login`, { body: { email, password: wrongPassword } }));
    await record(call(`${url}/v1/auth/login`, { body: { email: `nobody-${randomUUID()}@example.com`, password } }));
    const login = await record(call(`${url}/v1/auth/login`, { body: { email, password } }));
    const admin = await record(
      call(`${url}/v1/auth/login`, { body: { email: 'admin@example.com', password: ADMIN_PASSWORD } }),
    );
    const refreshed = await record(call(`${url}/v1/auth/refresh`, { body: { refreshToken: login.body.refreshToken } }));
    await record(call(`${url}/v1/auth/refresh`, { body: { refreshToken: login.body.refreshToken } }));
    await record(call(`${url}/v1/auth/me`, { token: refreshed.body.accessToken }));
    await record(call(`${url}/v1/auth/logout`, { body: { refreshToken: admin.body.refreshToken } }));
    await record(call(`${url}/v1/auth/me`, { headers: { authorization: `Bearer ${login.body.accessToken}x` } }));
    refreshTokens.push(login.body.refreshToken, refreshed.body.refreshToken, admin.body.refreshToken);
    accessTokens.push(login.body.accessToken, refreshed.body.accessToken, admin.body.accessToken);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const hashes = async (): Promise<string[]> =>
    (await queryDatabase<{ password_hash: string }>(stack.database.url, 'SELECT password_hash FROM users')).map(
      (row) => row.password_hash,
    );

  it('produced the traffic it inspects (the control)', () => {
    expect(responses.map((response) => response.status)).toEqual([
      201, 409, 400, 401, 401, 200, 200, 200, 401, 200, 204, 401,
    ]);
    expect(stack.allLogText().length).toBeGreaterThan(1000);
  });

  it('puts no password or password hash in any response', async () => {
    const bodies = responses.map((response) => response.text).join('\n');

    for (const secret of [...passwords, ...(await hashes())]) {
      expect(bodies).not.toContain(secret);
    }
    expect(bodies).not.toMatch(/argon2|password_?hash/i);
  });

  it('puts no password, hash, token or private key in any log line', async () => {
    const logs = stack.allLogText();

    for (const secret of [...passwords, ...(await hashes()), ...refreshTokens, ...accessTokens]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toMatch(/\$argon2id\$|PRIVATE KEY/);
    expect(logs).not.toContain(stack.key.privatePem.split('\n')[1]);
  });
});
