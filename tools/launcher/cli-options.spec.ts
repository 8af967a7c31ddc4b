import { resolve } from 'node:path';
import { generateBusCredentials } from '../nats/local-nats-server';
import { externalBusEnv, scrubBusSecrets } from './bus-options';
import { parseOptions, UsageError } from './cli-options';

const PASSWORDS = {
  GATEWAY_NATS_PASSWORD: 'gateway-password-0123456789',
  AUTH_NATS_PASSWORD: 'auth-password-0123456789',
  CATALOG_NATS_PASSWORD: 'catalog-password-0123456789',
  ORDERS_NATS_PASSWORD: 'orders-password-0123456789',
  EVENTS_NATS_PASSWORD: 'events-password-0123456789',
};

describe(parseOptions.name, () => {
  it('defaults to one replica each on the local servers', () => {
    const sut = parseOptions([], {});

    expect(sut.scale).toEqual({ gateway: 1, auth: 1, catalog: 1, orders: 1 });
    expect(sut.build).toBe(true);
    expect(sut.gatewayPort).toBe(3000);
    expect(sut.opsPorts).toEqual({ auth: 3001, catalog: 3002, orders: 3003 });
    expect(sut.bus).toEqual({ kind: 'own', port: 4223 });
    expect(sut.stateDir).toBeUndefined();
    expect(sut.databaseUrls.catalog).toBe('postgres://postgres@127.0.0.1:5432/bazaar_catalog');
  });

  it('accepts repeated --scale in both spellings', () => {
    const sut = parseOptions(['--scale', 'catalog=3', '--scale=gateway=2', '--no-build'], {});

    expect(sut.scale).toEqual({ gateway: 2, auth: 1, catalog: 3, orders: 1 });
    expect(sut.build).toBe(false);
  });

  it('puts service databases on the admin server unless a service has its own URL', () => {
    const sut = parseOptions(['--service-database-url', 'orders=postgres://o@db:5433/orders_x'], {
      DATABASE_URL: 'postgres://admin:pw@pg:6543/postgres',
      AUTH_DATABASE_URL: 'postgres://a@pg:6543/my_auth',
    });

    expect(sut.databaseUrls).toEqual({
      auth: 'postgres://a@pg:6543/my_auth',
      catalog: 'postgres://admin:pw@pg:6543/bazaar_catalog',
      orders: 'postgres://o@db:5433/orders_x',
    });
  });

  it('lets flags win over the environment', () => {
    const sut = parseOptions(['--port', '4000', '--ops-port', 'catalog=4002', '--nats-url', 'nats://n:1'], {
      PORT: '5000',
      CATALOG_OPS_PORT: '5002',
      NATS_URL: 'nats://env:2',
    });

    expect(sut.gatewayPort).toBe(4000);
    expect(sut.opsPorts.catalog).toBe(4002);
    expect(sut.bus).toMatchObject({ kind: 'external', url: 'nats://n:1' });
  });

  it('passes --node-options to the replicas as node flags, split on spaces', () => {
    const sut = parseOptions(['--node-options', '--cpu-prof  --cpu-prof-dir=/tmp/prof'], {});

    expect(sut.nodeArgs).toEqual(['--cpu-prof', '--cpu-prof-dir=/tmp/prof']);
    expect(parseOptions([], {}).nodeArgs).toEqual([]);
  });

  it('takes control commands on stdin only when asked to', () => {
    expect(parseOptions(['--control-stdin'], {}).controlStdin).toBe(true);
    expect(parseOptions([], {}).controlStdin).toBe(false);
  });

  it.each([
    [['--scale', 'search=2'], /unknown service "search"/],
    [['--nats-url', 'nats://n:1', '--nats-port', '4333'], /runs none/],
    [['--nats-port', '3000'], /must all differ/],
    [['--nats-port', '0'], /own nats-server port .* from 1 to 65535/],
    [['--scale', 'catalog=0'], /from 1 to 32/],
    [['--scale', 'catalog'], /SERVICE=VALUE/],
    [['--port'], /needs a value/],
    [['--ops-port', 'gateway=1'], /unknown service "gateway"/],
    [['--frobnicate'], /Unknown option --frobnicate/],
    [['--watch'], /nest start <app> --watch/],
    [['--port', '3002'], /must all differ/],
    [['--nats-url', 'http://x'], /nats:\/\//],
    [['--node-options', '--cpu-prof other.js'], /node flags/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseOptions(argv, {})).toThrow(UsageError);
    expect(() => parseOptions(argv, {})).toThrow(message);
  });
});

describe(`${parseOptions.name}: the bus`, () => {
  it("runs the launcher's own nats-server on --nats-port, else LAUNCHER_NATS_PORT, else 4223", () => {
    expect(parseOptions(['--nats-port', '4555'], { LAUNCHER_NATS_PORT: '4666' }).bus).toEqual({
      kind: 'own',
      port: 4555,
    });
    expect(parseOptions([], { LAUNCHER_NATS_PORT: '4666' }).bus).toEqual({ kind: 'own', port: 4666 });
    expect(parseOptions([], { NATS_URL: '' }).bus).toEqual({ kind: 'own', port: 4223 });
  });

  it('connects to an external bus without credentials when none are set', () => {
    expect(parseOptions([], { NATS_URL: 'nats://bus:4222' }).bus).toEqual({
      kind: 'external',
      url: 'nats://bus:4222',
      credentials: undefined,
      tls: undefined,
    });
  });

  it("takes every identity's credentials from <IDENTITY>_NATS_USER / _PASSWORD, the user defaulting to the identity", () => {
    const sut = parseOptions(['--nats-url', 'nats://bus:4222'], { ...PASSWORDS, ORDERS_NATS_USER: 'orders-eu' });

    expect(sut.bus).toMatchObject({
      kind: 'external',
      credentials: {
        gateway: { user: 'gateway', pass: PASSWORDS.GATEWAY_NATS_PASSWORD },
        orders: { user: 'orders-eu', pass: PASSWORDS.ORDERS_NATS_PASSWORD },
        events: { user: 'events', pass: PASSWORDS.EVENTS_NATS_PASSWORD },
      },
    });
  });

  it('reads back exactly the credentials externalBusEnv hands a launcher', () => {
    const credentials = generateBusCredentials();

    const sut = parseOptions([], externalBusEnv('nats://127.0.0.1:5000', credentials));

    expect(sut.bus).toEqual({ kind: 'external', url: 'nats://127.0.0.1:5000', credentials, tls: undefined });
  });

  it('names the missing passwords when only some identities have credentials', () => {
    const env = {
      NATS_URL: 'nats://bus:4222',
      GATEWAY_NATS_PASSWORD: PASSWORDS.GATEWAY_NATS_PASSWORD,
      AUTH_NATS_USER: 'a',
    };

    expect(() => parseOptions([], env)).toThrow(
      /missing: AUTH_NATS_PASSWORD, CATALOG_NATS_PASSWORD, ORDERS_NATS_PASSWORD, EVENTS_NATS_PASSWORD/,
    );
  });

  it('refuses a password the services would refuse, without repeating it', () => {
    const env = { NATS_URL: 'nats://bus:4222', ...PASSWORDS, CATALOG_NATS_PASSWORD: 'short-secret' };

    expect(() => parseOptions([], env)).toThrow(/CATALOG_NATS_PASSWORD must be 16 to 256 characters/);
    expect(() => parseOptions([], env)).not.toThrow(/short-secret/);
  });

  it('keeps state in --state-dir, else LAUNCHER_STATE_DIR, as an absolute path', () => {
    expect(parseOptions(['--state-dir', '/tmp/a'], { LAUNCHER_STATE_DIR: '/tmp/b' }).stateDir).toBe('/tmp/a');
    expect(parseOptions([], { LAUNCHER_STATE_DIR: 'relative/state' }).stateDir).toBe(resolve('relative/state'));
  });
});

describe(scrubBusSecrets.name, () => {
  it('leaves no bus secret for the replicas to inherit, and everything else', () => {
    const env: NodeJS.ProcessEnv = {
      ...PASSWORDS,
      EVENTS_NATS_USER: 'ev',
      NATS_PASSWORD_FILE: '/x',
      LOG_LEVEL: 'debug',
    };

    scrubBusSecrets(env);

    expect(env).toEqual({ LOG_LEVEL: 'debug' });
  });
});
