import { parseOptions, UsageError } from './cli-options';

describe(parseOptions.name, () => {
  it('defaults to one replica each on the local servers', () => {
    const sut = parseOptions([], {});

    expect(sut.scale).toEqual({ gateway: 1, auth: 1, catalog: 1, orders: 1 });
    expect(sut.build).toBe(true);
    expect(sut.gatewayPort).toBe(3000);
    expect(sut.opsPorts).toEqual({ auth: 3001, catalog: 3002, orders: 3003 });
    expect(sut.natsUrl).toBe('nats://127.0.0.1:4222');
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
    expect(sut.natsUrl).toBe('nats://n:1');
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
