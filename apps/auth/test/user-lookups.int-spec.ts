import { randomUUID } from 'node:crypto';
import type { QueryConfig } from 'pg';
import { DataSource } from 'typeorm';
import { interceptPoolQueries } from '@test/support/pool-queries';
import { queryDatabase } from '@test/support/test-database';
import { UsersService } from '../src/users/users.service';
import { AuthStack, call } from './support/auth-stack';

const PASSWORD = 'correct horse battery staple';

/** What `UsersService.get` answered: the user, or the code of its error. */
async function outcomes(users: UsersService, userIds: string[]): Promise<unknown[]> {
  const settled = await Promise.allSettled(userIds.map((userId) => users.get(userId)));
  return settled.map((result) =>
    result.status === 'fulfilled' ? result.value : { error: (result.reason as { code?: string }).code },
  );
}

describe('`me` look-ups read together (USER_LOOKUP_MAX_BATCH)', () => {
  let stack: AuthStack;
  let users: UsersService;
  let statements: Array<{ name?: string; values?: unknown[] }>;
  /** When set, the next batch read fails with it instead of reaching Postgres. */
  let failNextBatch: Error | undefined;
  const registered: Array<{ id: string; email: string; role: string }> = [];

  beforeAll(async () => {
    stack = await new AuthStack('userlookups').start();
    const app = stack.replicas[0].app;
    users = app.get(UsersService);
    for (let i = 0; i < 5; i++) {
      const email = `lookup-${i}-${Date.now()}@example.com`;
      const response = await call(`${stack.url}/v1/auth/register`, { body: { email, password: PASSWORD } });
      expect(response.status).toBe(201);
      registered.push(response.body);
    }
    // The user look-ups the service sends straight to its pg pool (PreparedQuery); the outbox
    // relay's statements go the same way and are left out.
    interceptPoolQueries(app.get(DataSource), (args, proceed) => {
      const config = args[0] as QueryConfig;
      if (typeof config === 'object' && config.name?.startsWith('auth-public-user')) {
        statements.push({ name: config.name, values: config.values });
        if (config.name === 'auth-public-users-by-ids' && failNextBatch) {
          const failure = failNextBatch;
          failNextBatch = undefined;
          return Promise.reject(failure);
        }
      }
      return proceed();
    });
  });

  beforeEach(() => {
    statements = [];
    failNextBatch = undefined;
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await stack?.stop();
  });

  it('answers each caller its own user from one statement for the whole turn', async () => {
    const unknown = randomUUID();
    const ids = [...registered.map((user) => user.id), unknown, registered[2].id.toUpperCase(), registered[0].id];

    const sut = await outcomes(users, ids);

    expect(sut).toEqual([...registered, { error: 'not-found' }, registered[2], registered[0]]);
    expect(statements).toEqual([{ name: 'auth-public-users-by-ids', values: [ids] }]);
  });

  it('sees a change committed before the request: a demoted, renamed or deleted user shows at once', async () => {
    const [changed, deleted, ...others] = registered;
    await queryDatabase(stack.database.url, `UPDATE users SET role = 'admin', name = 'Renamed' WHERE id = $1`, [
      changed.id,
    ]);
    await queryDatabase(stack.database.url, 'DELETE FROM users WHERE id = $1', [deleted.id]);

    const sut = await outcomes(
      users,
      registered.map((user) => user.id),
    );

    expect(sut).toEqual([{ ...changed, role: 'admin', name: 'Renamed' }, { error: 'not-found' }, ...others]);
    expect(statements.map((statement) => statement.name)).toEqual(['auth-public-users-by-ids']);
  });

  it('a failed batch read fails each member with its error, without reading them one by one', async () => {
    // What pg raises when the server ends the connection (an admin shutdown, a failover).
    failNextBatch = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const ids = registered.slice(2).map((user) => user.id);

    const sut = await outcomes(users, ids);

    expect(sut).toEqual(ids.map(() => ({ error: '57P01' })));
    expect(statements.map((statement) => statement.name)).toEqual(['auth-public-users-by-ids']);
    expect(await outcomes(users, ids)).toEqual(registered.slice(2));
  });

  it('a lone look-up is the one-row statement, and `me` over HTTP answers from either', async () => {
    const email = `lookup-http-${Date.now()}@example.com`;
    const user = (await call(`${stack.url}/v1/auth/register`, { body: { email, password: PASSWORD } })).body;
    const login = await call(`${stack.url}/v1/auth/login`, { body: { email, password: PASSWORD } });
    statements = [];

    const sut = await call(`${stack.url}/v1/auth/me`, { token: login.body.accessToken });

    expect(sut.status).toBe(200);
    expect(sut.body).toEqual(user);
    expect(statements.map((statement) => statement.name)).toEqual(['auth-public-user-by-id']);
  });
});
