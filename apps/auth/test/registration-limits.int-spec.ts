import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { expectEventually } from '@test/support/expect-eventually';
import { queryDatabase } from '@test/support/test-database';
import { HousekeepingService } from '../src/housekeeping/housekeeping.service';
import { PasswordHasher } from '../src/passwords/password-hasher';
import { RegistrationLimiter } from '../src/registration-limits/registration-limiter';
import { AuthStack, call, JsonResponse } from './support/auth-stack';

const PASSWORD = 'a perfectly long password';
const LIMIT = 4;
const WINDOW_SECONDS = 600;
/** Registrations in the race; each replica's pool can hold all of them at the database at once. */
const RACERS = 12;

describe('registration limits', () => {
  let stack: AuthStack;
  let secondGateway: AuthStack['gateway'];
  let hashes: jest.SpyInstance[];
  let admissions: jest.SpyInstance[];

  beforeAll(async () => {
    // Two auth replicas and two gateways: the limit must hold whichever replica a request reaches.
    stack = await new AuthStack(
      'reglimits',
      {
        REGISTRATION_MAX_ATTEMPTS_PER_ADDRESS: String(LIMIT),
        REGISTRATION_ATTEMPT_WINDOW_SECONDS: String(WINDOW_SECONDS),
        DB_POOL_SIZE: String(RACERS),
      },
      // The race below holds requests at the database while it sets up: no 504 meanwhile.
      { TRUST_PROXY: '127.0.0.1', RPC_TIMEOUT_MS: '20000' },
    ).start(2);
    secondGateway = await stack.startGateway();
  });

  beforeEach(() => {
    // Every replica's hasher, observed in-process: what argon2 work each request really caused.
    hashes = stack.replicas.map((replica) => jest.spyOn(replica.app.get(PasswordHasher), 'hash'));
    admissions = stack.replicas.map((replica) => jest.spyOn(replica.app.get(RegistrationLimiter), 'admit'));
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await secondGateway?.close();
    await stack?.stop();
  });

  let addressCounter = 0;
  /** A client address no other test uses (the attempts of one address are shared by every test). */
  const freshAddress = (): string => `198.51.100.${++addressCounter}`;
  const hashCount = (): number => hashes.reduce((total, spy) => total + spy.mock.calls.length, 0);
  const newEmail = (): string => `reg-${randomUUID()}@example.com`;

  const register = (email: string, clientAddress: string, url = stack.url): Promise<JsonResponse> =>
    call(`${url}/v1/auth/register`, {
      body: { email, password: PASSWORD },
      headers: { 'x-forwarded-for': clientAddress },
    });

  it('answers a taken email with 409 without hashing the password', async () => {
    const email = newEmail();
    expect((await register(email, freshAddress())).status).toBe(201);
    expect(hashCount()).toBe(1); // the control: a registration that gets through does hash

    const sut = await register(email.toUpperCase(), freshAddress());

    expect(sut.status).toBe(409);
    expect(sut.body).toMatchObject({ code: 'conflict', status: 409 });
    expect(hashCount()).toBe(1);
  });

  it('counts created and 409 attempts alike, then answers 429 with Retry-After and hashes nothing more', async () => {
    const address = freshAddress();
    const taken = newEmail();
    const statuses = [(await register(taken, address)).status];
    for (let i = 1; i < LIMIT; i++) {
      statuses.push((await register(taken, address, i % 2 === 0 ? stack.url : secondGateway.url)).status);
    }
    expect(statuses).toEqual([201, ...Array(LIMIT - 1).fill(409)]);

    const overLimit = await register(newEmail(), address, secondGateway.url);
    const duplicateOverLimit = await register(taken, address);

    for (const sut of [overLimit, duplicateOverLimit]) {
      expect(sut.status).toBe(429);
      expect(sut.body).toMatchObject({ code: 'rate-limited', status: 429 });
      const retryAfter = Number(sut.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(WINDOW_SECONDS - 60);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    }
    expect(hashCount()).toBe(1);
    expect((await register(newEmail(), freshAddress())).status).toBe(201); // other addresses are not affected
  });

  /** Backends of the auth database waiting for a lock (a table's or an advisory one). */
  const waitingOnLocks = async (): Promise<number> => {
    const [row] = await queryDatabase<{ count: string }>(
      stack.database.url,
      `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return Number(row.count);
  };

  /**
   * Sends the registrations while every insert into registration_attempts is held back, waits until all
   * of them are queued at the database, then lets them go at once: the worst interleaving, on demand.
   */
  async function raceAtTheDatabase(address: string): Promise<JsonResponse[]> {
    const blocker = new Client({ connectionString: stack.database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE registration_attempts IN EXCLUSIVE MODE');
      const burst = Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          register(newEmail(), address, i % 2 === 0 ? stack.url : secondGateway.url),
        ),
      );
      await expectEventually(async () => expect(await waitingOnLocks()).toBe(RACERS));
      await blocker.query('COMMIT');
      return await burst;
    } finally {
      await blocker.end();
    }
  }

  it('lets exactly the limit through when registrations from one address race at the database on two replicas', async () => {
    const address = freshAddress();

    const results = await raceAtTheDatabase(address);

    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([...Array(LIMIT).fill(201), ...Array(RACERS - LIMIT).fill(429)]);
    expect(hashCount()).toBe(LIMIT);
    // The control: both replicas took part, so the race was between them and not inside one.
    expect(admissions.map((spy) => spy.mock.calls.length > 0)).toEqual([true, true]);
    const [counted] = await queryDatabase<{ count: string }>(
      stack.database.url,
      'SELECT count(*) FROM registration_attempts WHERE client_address = $1',
      [address],
    );
    expect(Number(counted.count)).toBe(LIMIT);
  });

  it('opens again once the attempts leave the window, and housekeeping drops them', async () => {
    const address = freshAddress();
    for (let i = 0; i < LIMIT; i++) {
      await register(newEmail(), address);
    }
    expect((await register(newEmail(), address)).status).toBe(429);
    await queryDatabase(
      stack.database.url,
      `UPDATE registration_attempts SET attempted_at = attempted_at - make_interval(secs => $2) WHERE client_address = $1`,
      [address, WINDOW_SECONDS + 1],
    );

    expect((await register(newEmail(), address)).status).toBe(201);
    await stack.replicas[0].app.get(HousekeepingService).sweep();
    const rows = await queryDatabase<{ count: string }>(
      stack.database.url,
      'SELECT count(*) FROM registration_attempts WHERE client_address = $1',
      [address],
    );
    expect(Number(rows[0].count)).toBe(1);
  });
});
