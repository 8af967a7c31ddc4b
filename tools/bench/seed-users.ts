import { randomBytes } from 'node:crypto';
import { answerOf, benchApi, describeAnswer } from './http-json';

export interface BenchUser {
  email: string;
  password: string;
  accessToken: string;
}

export type UsersOutcome = { available: true; users: BenchUser[] } | { available: false; reason: string };

/** Registration and login hash with argon2id on auth's 4-thread pool: more in flight only queues. */
const CONCURRENCY = 4;

async function inBatches<T>(count: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      results[index] = await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  return results;
}

/**
 * Customers registered and logged in through the public API (POST /v1/auth/register, /login), as
 * real clients would: the tokens are the auth service's own, verified by the gateway like any
 * other. Emails carry a per-run tag, so a run against a live stack (--url) never meets the
 * accounts of an earlier one.
 */
export async function seedUsers(gatewayUrl: string, count: number): Promise<UsersOutcome> {
  const tag = randomBytes(4).toString('hex');
  const api = benchApi(gatewayUrl);
  const probe = await answerOf(
    api.POST('/v1/auth/register', {
      body: { email: `bench-${tag}-0@bench.example.com`, password: `bench-password-${tag}`, name: 'Bench 0' },
    }),
  );
  if (probe.status === 404 || probe.status === 501 || probe.status === 503) {
    return { available: false, reason: `POST /v1/auth/register answers ${describeAnswer(probe)}` };
  }
  if (probe.status !== 201) {
    throw new Error(`Registering a bench user failed: ${describeAnswer(probe)}`);
  }
  const users = await inBatches(count, async (index) => {
    const email = `bench-${tag}-${index}@bench.example.com`;
    const password = `bench-password-${tag}`;
    if (index > 0) {
      const registered = await answerOf(
        api.POST('/v1/auth/register', { body: { email, password, name: `Bench ${index}` } }),
      );
      if (registered.status !== 201) {
        throw new Error(`Registering ${email} failed: ${describeAnswer(registered)}`);
      }
    }
    return { email, password, accessToken: await login(gatewayUrl, email, password) };
  });
  return { available: true, users };
}

export async function login(gatewayUrl: string, email: string, password: string): Promise<string> {
  const { data, error, response } = await benchApi(gatewayUrl).POST('/v1/auth/login', { body: { email, password } });
  if (!data) {
    throw new Error(`Logging in ${email} failed: ${describeAnswer({ status: response.status, body: error })}`);
  }
  return data.accessToken;
}

/** Fresh access tokens (they live ≤ 15 min; a long run would otherwise end in 401s). */
export async function renewTokens(gatewayUrl: string, users: BenchUser[]): Promise<void> {
  await inBatches(users.length, async (index) => {
    users[index].accessToken = await login(gatewayUrl, users[index].email, users[index].password);
  });
}
