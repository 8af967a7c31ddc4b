import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TestTokenIssuer } from '@test/support/auth-tokens';
import { BACKENDS, Backend } from '@test/support/full-stack';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { AppProcess, appProcess } from '@test/support/process-stack';
import { createTestDatabase, queryDatabase, TestDatabase } from '@test/support/test-database';

const REPLICAS = 3;

/** The migration classes each service ships: one file each, named `<timestamp>-<name>.ts`. */
function migrationCount(backend: Backend): number {
  const dir = join(__dirname, '..', '..', 'apps', backend, 'src', 'database', 'migrations');
  return readdirSync(dir).filter((file) => /^\d+-.+\.ts$/.test(file) && !file.endsWith('.spec.ts')).length;
}

/**
 * What a deployment does on its first day: every replica of every service starts at once, as a
 * real process, on an empty database. Each migration must be applied exactly once (the advisory
 * lock of runMigrationsExclusively) and every replica must become ready. The mechanism's race, made
 * certain, is libs/common/test/migrations-race.int-spec.ts (npm run test:mutants judges it there).
 */
describe(`${REPLICAS} replicas of each service starting at once on empty databases (real processes)`, () => {
  let nats: PrivateNats;
  const databases = new Map<Backend, TestDatabase>();
  const replicas: AppProcess[] = [];

  beforeAll(async () => {
    nats = await startPrivateNats();
    const tokens = await TestTokenIssuer.create();
    for (const backend of BACKENDS) {
      databases.set(backend, await createTestDatabase(`migrace${backend}`));
    }
    // Ports first, then every process in one go: none is given a head start.
    for (const backend of BACKENDS) {
      const env = {
        ...nats.env(backend),
        DATABASE_URL: databases.get(backend)!.url,
        DB_POOL_SIZE: '3',
        LOG_LEVEL: 'info',
        ...(backend === 'auth' ? tokens.authServiceEnv() : {}),
      };
      for (let i = 1; i <= REPLICAS; i++) {
        replicas.push(await appProcess(backend, env, `${backend}-${i}`));
      }
    }
    replicas.forEach((replica) => replica.start());
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop('SIGKILL')));
    await nats?.dispose();
    await Promise.all([...databases.values()].map((database) => database.drop()));
  });

  // Nine Node processes starting at once on two cores: a deadline for a loaded machine, not a speed claim.
  it('brings every replica up, none crashed', async () => {
    const ready = await Promise.allSettled(replicas.map((replica) => replica.waitUntilReady(150_000)));

    // A replica that isn't up, with the end of its output: what went wrong.
    const down = replicas.flatMap((replica, i) =>
      ready[i].status === 'fulfilled' && replica.running
        ? []
        : [`${replica.env.REPLICA_ID}: ${replica.raw.slice(-3).join(' | ')}`],
    );
    expect(down).toEqual([]);
  }, 180_000);

  it.each(BACKENDS)('records each %s migration exactly once, applied by exactly one replica', async (backend) => {
    const recorded = await queryDatabase<{ name: string; n: number }>(
      databases.get(backend)!.url,
      'SELECT name, count(*)::int AS n FROM migrations GROUP BY name ORDER BY name',
    );
    const appliers = replicas.filter(
      (replica) =>
        replica.app === backend &&
        replica.lines.some((line) => typeof line.msg === 'string' && line.msg.startsWith('Applied migrations: ')),
    );

    expect(recorded).toHaveLength(migrationCount(backend));
    expect(recorded.filter((row) => row.n !== 1)).toEqual([]);
    expect(appliers.map((replica) => replica.env.REPLICA_ID)).toHaveLength(1);
  });
});
