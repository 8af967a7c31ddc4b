import { randomUUID } from 'node:crypto';
import { queryDatabase } from '@test/support/test-database';
import { PasswordHasher } from '../src/passwords/password-hasher';
import { AuthStack, call, JsonResponse } from './support/auth-stack';

const PASSWORD = 'the right password';

describe('failed-login limits', () => {
  let stack: AuthStack;
  let secondGateway: AuthStack['gateway'];

  beforeAll(async () => {
    // Two auth replicas and two gateways: the limit must hold whichever replica a request reaches.
    stack = await new AuthStack('limits', {}, { TRUST_PROXY: '127.0.0.1' }).start(2);
    secondGateway = await stack.startGateway();
  });

  afterAll(async () => {
    await secondGateway?.close();
    await stack?.stop();
  });

  const register = async (): Promise<string> => {
    const email = `limit-${randomUUID()}@example.com`;
    await call(`${stack.url}/v1/auth/register`, { body: { email, password: PASSWORD } });
    return email;
  };

  const login = (url: string, email: string, password: string, clientAddress = '203.0.113.10'): Promise<JsonResponse> =>
    call(`${url}/v1/auth/login`, { body: { email, password }, headers: { 'x-forwarded-for': clientAddress } });

  it('answers 429 after 5 failures for one email, across replicas, even with the right password', async () => {
    const email = await register();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const url = i % 2 === 0 ? stack.url : secondGateway.url;
      statuses.push((await login(url, email, 'wrong password', `198.51.100.${i + 1}`)).status);
    }

    const sut = await login(secondGateway.url, email, PASSWORD, '198.51.100.99');

    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(sut.status).toBe(429);
    expect(sut.body).toMatchObject({ code: 'rate-limited', status: 429 });
    const retryAfter = Number(sut.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
  });

  it('never lets more than 5 password checks through for one email, however many race in', async () => {
    const email = await register();

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        login(i % 2 === 0 ? stack.url : secondGateway.url, email, 'wrong password', `192.0.2.${i + 1}`),
      ),
    );

    const statuses = results.map((result) => result.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(15);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
  });

  it('opens again once the failures leave the window', async () => {
    const email = await register();
    for (let i = 0; i < 5; i++) {
      await login(stack.url, email, 'wrong password');
    }
    expect((await login(stack.url, email, PASSWORD)).status).toBe(429);

    await queryDatabase(
      stack.database.url,
      `UPDATE login_attempts SET attempted_at = attempted_at - interval '16 minutes' WHERE email = $1`,
      [email],
    );

    expect((await login(stack.url, email, PASSWORD)).status).toBe(200);
  });

  it('forgets an email’s failures after a successful login', async () => {
    const email = await register();
    for (let i = 0; i < 4; i++) {
      await login(stack.url, email, 'wrong password');
    }
    expect((await login(stack.url, email, PASSWORD)).status).toBe(200);

    for (let i = 0; i < 4; i++) {
      expect((await login(stack.url, email, 'wrong password')).status).toBe(401);
    }
  });

  it('answers 429 after 50 failures from one client address, whatever the emails, honouring TRUST_PROXY', async () => {
    const address = `203.0.113.${Math.floor(Math.random() * 200) + 20}`;
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      const url = i % 2 === 0 ? stack.url : secondGateway.url;
      statuses.push((await login(url, `nobody-${randomUUID()}@example.com`, 'wrong password', address)).status);
    }
    const email = await register();

    const blocked = await login(stack.url, email, PASSWORD, address);
    const otherAddress = await login(stack.url, email, PASSWORD, '203.0.113.250');

    expect(statuses.every((status) => status === 401)).toBe(true);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(otherAddress.status).toBe(200);
    const [counted] = await queryDatabase<{ count: string }>(
      stack.database.url,
      'SELECT count(*) FROM login_attempts WHERE client_address = $1',
      [address],
    );
    expect(Number(counted.count)).toBe(50);
  });

  it('verifies a dummy argon2id hash for an unknown email, as it verifies the real one for a wrong password', async () => {
    // Counted, not timed: one argon2 verification per login either way is what makes the two cost the same.
    const email = await register();
    const verifications = stack.replicas.map((replica) => jest.spyOn(replica.app.get(PasswordHasher), 'verify'));
    const hashesVerifiedBy = async (target: string): Promise<string[]> => {
      verifications.forEach((spy) => spy.mockClear());
      const address = `100.64.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
      const response = await login(stack.url, target, 'wrong password', address);
      expect(response.status).toBe(401);
      return verifications.flatMap((spy) => spy.mock.calls.map(([storedHash]) => storedHash));
    };
    try {
      const [storedHash] = await queryDatabase<{ password_hash: string }>(
        stack.database.url,
        'SELECT password_hash FROM users WHERE email = $1',
        [email],
      );

      const known = await hashesVerifiedBy(email);
      const unknown = await hashesVerifiedBy(`nobody-${randomUUID()}@example.com`);

      expect(known).toEqual([storedHash.password_hash]);
      expect(unknown).toHaveLength(1);
      expect(unknown[0]).toMatch(/^\$argon2id\$/);
      expect(unknown[0]).not.toBe(storedHash.password_hash);
    } finally {
      verifications.forEach((spy) => spy.mockRestore());
      await queryDatabase(stack.database.url, 'DELETE FROM login_attempts WHERE email = $1', [email]);
    }
  });

  it('counts the socket address, not X-Forwarded-For, when TRUST_PROXY is off', async () => {
    const untrusting = await stack.startGateway({ TRUST_PROXY: 'false' });
    try {
      const email = `spoof-${randomUUID()}@example.com`;

      await login(untrusting.url, email, 'wrong password', '203.0.113.77');

      const rows = await queryDatabase<{ client_address: string }>(
        stack.database.url,
        'SELECT client_address FROM login_attempts WHERE email = $1',
        [email],
      );
      expect(rows.map((row) => row.client_address)).toEqual([expect.stringMatching(/127\.0\.0\.1$/)]);
    } finally {
      await untrusting.close();
    }
  });
});
