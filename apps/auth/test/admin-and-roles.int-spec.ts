import { Controller, Get, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Public } from '@app/common/http';
import { CurrentUser, Principal, Roles } from '../../gateway/src/public';
import { expectEventually } from '@test/support/expect-eventually';
import { InProcessGateway } from '@test/support/in-process';
import { queryDatabase } from '@test/support/test-database';
import { AuthStack, call, JsonResponse } from './support/auth-stack';

const ADMIN_EMAIL = 'Root@Example.com';
const ADMIN_PASSWORD = 'bootstrap admin password';

/** Routes of the kinds other features declare, to test the guard's rules on them. */
@Controller('guard-probe')
class GuardProbeController {
  @Get('admin')
  @Roles('admin')
  admin(@CurrentUser() principal: Principal): Principal {
    return principal;
  }

  @Get('any')
  any(@CurrentUser() principal: Principal): Principal {
    return principal;
  }

  @Public()
  @Get('public')
  open(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [GuardProbeController] })
class GuardProbeModule {}

describe('bootstrap admin and roles', () => {
  let stack: AuthStack;
  let gateway: InProcessGateway;

  const adminEnv = { ADMIN_EMAIL, ADMIN_PASSWORD };
  const login = (email: string, password: string): Promise<JsonResponse> =>
    call(`${gateway.url}/v1/auth/login`, { body: { email, password } });
  const adminRows = (): Promise<Array<{ id: string; role: string; password_hash: string }>> =>
    queryDatabase(stack.database.url, 'SELECT id, role, password_hash FROM users WHERE email = $1', [
      ADMIN_EMAIL.toLowerCase(),
    ]);

  beforeAll(async () => {
    // Three replicas start at once on an empty database: migrations and the admin upsert race.
    stack = new AuthStack('adminroles', adminEnv);
    await stack.start(0);
    stack.replicas.push(...(await Promise.all(['a', 'b', 'c'].map((name) => stack.startReplica(`auth-${name}`)))));
    await stack.gateway.close();
    gateway = await stack.startGateway({}, [GuardProbeModule]);
    stack.gateway = gateway;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('creates exactly one admin when several replicas start together, and announces it once', async () => {
    const rows = await adminRows();

    expect(rows).toEqual([expect.objectContaining({ role: 'admin' })]);
    const events = await queryDatabase<{ payload: { data: { email: string; role: string } } }>(
      stack.database.url,
      `SELECT payload FROM outbox WHERE subject = 'auth.events.user-registered'`,
    );
    expect(events.map((event) => event.payload.data)).toEqual([
      expect.objectContaining({ email: ADMIN_EMAIL.toLowerCase(), role: 'admin' }),
    ]);
  });

  it('logs the admin in with an admin access token', async () => {
    const tokens = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const me = await call(`${gateway.url}/v1/auth/me`, { token: tokens.body.accessToken });

    expect(me.body).toMatchObject({ email: ADMIN_EMAIL.toLowerCase(), role: 'admin' });
  });

  it('changes nothing when restarted with the same settings', async () => {
    const [before] = await adminRows();

    const replica = await stack.startReplica('auth-d');
    stack.replicas.push(replica);

    const [after] = await adminRows();
    expect(after).toEqual(before);
  });

  it('updates the password when ADMIN_PASSWORD changes, and ends the sessions of the old one', async () => {
    const session = await login(ADMIN_EMAIL, ADMIN_PASSWORD);

    stack.replicas.push(await stack.startReplica('auth-e', { ADMIN_PASSWORD: 'a brand new admin password' }));

    expect((await login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(401);
    expect((await login(ADMIN_EMAIL, 'a brand new admin password')).status).toBe(200);
    const refresh = await call(`${gateway.url}/v1/auth/refresh`, { body: { refreshToken: session.body.refreshToken } });
    expect(refresh.status).toBe(401);
  });

  it('promotes an existing customer whose email becomes ADMIN_EMAIL', async () => {
    const email = `promote-${randomUUID()}@example.com`;
    await call(`${gateway.url}/v1/auth/register`, { body: { email, password: 'customer password' } });

    stack.replicas.push(
      await stack.startReplica('auth-f', { ADMIN_EMAIL: email, ADMIN_PASSWORD: 'promoted password' }),
    );

    const tokens = await login(email, 'promoted password');
    const me = await call(`${gateway.url}/v1/auth/me`, { token: tokens.body.accessToken });
    expect(me.body.role).toBe('admin');
  });

  describe('the guard', () => {
    let customerToken: string;
    let adminToken: string;

    beforeAll(async () => {
      const email = `guard-${randomUUID()}@example.com`;
      await call(`${gateway.url}/v1/auth/register`, { body: { email, password: 'customer password' } });
      customerToken = (await login(email, 'customer password')).body.accessToken;
      await expectEventually(async () => {
        const admin = await login(ADMIN_EMAIL, 'a brand new admin password');
        expect(admin.status).toBe(200);
        adminToken = admin.body.accessToken;
      });
    });

    it('answers 403 forbidden to a customer on an @Roles("admin") route', async () => {
      const sut = await call(`${gateway.url}/guard-probe/admin`, { token: customerToken });

      expect(sut.status).toBe(403);
      expect(sut.body).toMatchObject({ code: 'forbidden', status: 403 });
    });

    it('lets an admin through and gives the handler the principal', async () => {
      const sut = await call(`${gateway.url}/guard-probe/admin`, { token: adminToken });

      expect(sut.status).toBe(200);
      expect(sut.body).toEqual({ userId: expect.any(String), role: 'admin', tokenId: expect.any(String) });
    });

    it('authenticates routes by default (401 without a token, 200 with any role)', async () => {
      expect((await call(`${gateway.url}/guard-probe/any`)).status).toBe(401);
      expect((await call(`${gateway.url}/guard-probe/any`, { token: customerToken })).body.role).toBe('customer');
    });

    it('lets anyone through an @Public() route, ignoring a bad token', async () => {
      expect((await call(`${gateway.url}/guard-probe/public`)).status).toBe(200);
      expect((await call(`${gateway.url}/guard-probe/public`, { token: 'garbage' })).status).toBe(200);
    });
  });
});
