import { checkAppEnvironment, declaredVariables, unknownVariables } from './app-config';

describe('app-config', () => {
  it('lists the variables an env class declares, defaulted or not', () => {
    const sut = declaredVariables('orders');

    expect(sut).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'NATS_URL', 'OPS_PORT', 'REPLICA_ID', 'MIGRATIONS_RUN']),
    );
  });

  it('reports what the app would refuse to start with', () => {
    const sut = checkAppEnvironment('catalog', { NATS_URL: 'http://nats:4222', DB_POOL_SIZE: 'ten' });

    expect(sut.problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(sut.problems.join('\n')).toMatch(/NATS_URL/);
    expect(sut.problems.join('\n')).toMatch(/DB_POOL_SIZE/);
  });

  it('returns the typed configuration when the environment is valid', () => {
    const sut = checkAppEnvironment('orders', { DATABASE_URL: 'postgres://a:b@db:5432/x', MIGRATIONS_RUN: 'false' });

    expect(sut.problems).toEqual([]);
    expect(sut.config).toMatchObject({ OPS_PORT: 3003, MIGRATIONS_RUN: false });
  });

  it('flags variables the app does not read', () => {
    expect(unknownVariables('gateway', { PORT: '3000', DB_POOL_SIZE: '5', RATE_LIMT_RPM: '10' })).toEqual([
      'DB_POOL_SIZE',
      'RATE_LIMT_RPM',
    ]);
  });
});
