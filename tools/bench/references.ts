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
 * nest-slice: the naive design people copy from the Nest docs, measured over the floor's ids and
 * database: a Nest+Fastify gateway doing `ClientProxy.send` over the stock NATS transport to a Nest
 * NATS microservice that reads the row with TypeORM's `findOneBy` (references/nest-slice/). On an
 * open nats-server of its own, like nats-roundtrip: the stack's bus refuses identities it doesn't
 * know, and the slice has no auth by design. Uncached `product-get` ÷ this prices what Bazaar's
 * hop costs beside the conventional one with everything (auth, validation, metrics, logs) on.
 */
export async function measureNestSlice(
  rootDir: string,
  catalogDatabaseUrl: string,
  poolSize: number,
  catalog: CatalogFixture,
  load: LoadSettings,
): Promise<LoadFigures> {
  const privateNats = await startPrivateNats({ authorization: false });
  // Nest boots slower than a bare helper (the TypeScript of Nest's modules is loaded through tsx).
  const bootMs = 90_000;
  try {
    const service = await startHelper(
      rootDir,
      'references/nest-slice/slice-service.ts',
      { NATS_URL: privateNats.url, DATABASE_URL: catalogDatabaseUrl, POOL_SIZE: String(poolSize) },
      bootMs,
    );
    try {
      const gateway = await startHelper<{ port: number }>(
        rootDir,
        'references/nest-slice/slice-gateway.ts',
        { NATS_URL: privateNats.url, PORT: '0' },
        bootMs,
      );
      try {
        return await runLoad({
          url: `http://127.0.0.1:${gateway.info.port}`,
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
      } finally {
        await gateway.stop();
      }
    } finally {
      await service.stop();
    }
  } finally {
    await privateNats.stop();
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
