import { OtherCpu } from './cpu-share';
import { LoadSettings } from './load-settings';
import { startHelper } from './helper-process';
import { startPrivateNats } from './private-nats';
import { LoadFigures, runLoad } from './run-load';
import { CatalogFixture } from './seed-catalog';
import { pick } from './scenarios/scenario';

/**
 * The floor: the same product rows by the same random ids, from the same database, with the
 * catalog's pool size, through references/floor-server.ts.
 */
export async function measureFloor(
  rootDir: string,
  catalogDatabaseUrl: string,
  poolSize: number,
  catalog: CatalogFixture,
  load: LoadSettings,
): Promise<LoadFigures & { poolSize: number }> {
  const server = await startHelper<{ port: number }>(rootDir, 'references/floor-server.ts', {
    DATABASE_URL: catalogDatabaseUrl,
    POOL_SIZE: String(poolSize),
    PORT: '0',
  });
  try {
    const figures = await runLoad({
      url: `http://127.0.0.1:${server.info.port}`,
      ...load,
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => {
            request.path = `/v1/products/${pick(catalog.productIds)}`;
            return request;
          },
        },
      ],
    });
    return { ...figures, poolSize };
  } finally {
    await server.stop();
  }
}

/**
 * nats-roundtrip: HTTP in, one NATS request/reply to a responder in another process, HTTP out
 * (references/nats-echo-*.ts). On an open nats-server of its own: it measures raw NATS on a subject
 * of its own, which the stack's bus (authorization on) rightly refuses to anyone. Authentication
 * costs only at connect time; per message the server checks a cached permission, so the open
 * server's round trip is the one the stack's hop pays too.
 */
export async function measureNatsRoundtrip(rootDir: string, load: LoadSettings): Promise<LoadFigures> {
  const privateNats = await startPrivateNats({ authorization: false });
  const env = { NATS_URL: privateNats.url, SUBJECT: 'bench.reference.echo', PORT: '0' };
  const responder = await startHelper(rootDir, 'references/nats-echo-responder.ts', env);
  try {
    const front = await startHelper<{ port: number }>(rootDir, 'references/nats-echo-reference.ts', env);
    try {
      return await runLoad({
        url: `http://127.0.0.1:${front.info.port}`,
        ...load,
        requests: [{ method: 'GET', path: '/' }],
      });
    } finally {
      await front.stop();
    }
  } finally {
    await responder.stop();
    await privateNats.stop();
  }
}

export interface Argon2Rate {
  perSecond: number;
  hashes: number;
  seconds: number;
  p50Ms: number;
  params: Record<string, number>;
  cpu?: OtherCpu;
}

/** The machine's argon2id rate with auth's parameters (references/argon2-rate.ts). */
export async function measureArgon2(rootDir: string, load: LoadSettings): Promise<Argon2Rate> {
  const timeoutMs = (load.durationS + load.warmupS + 30) * 1000;
  // The window includes the helper's start and warm-up: it reports only when done.
  const stopMeter = await load.cpu?.start();
  const run = await startHelper<Argon2Rate>(
    rootDir,
    'references/argon2-rate.ts',
    { DURATION_S: String(load.durationS), WARMUP_S: String(load.warmupS) },
    timeoutMs,
  );
  const cpu = await stopMeter?.();
  await run.stop();
  return { ...run.info, cpu };
}
