import { CatalogClient } from '@app/common/clients';
import { CreateProductRequest, ProductResponse } from '@app/contracts';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';
import { CatalogEnv } from '../../apps/catalog/src/config/catalog.env';
import { PolicyCallers } from './callers';
import { expectEventually } from './expect-eventually';
import { InProcessService, startServiceInProcess } from './in-process';
import { PrivateNats, startPrivateNats } from './nats-server';
import { createTestDatabase, queryDatabase, TestDatabase } from './test-database';

/**
 * A catalog under test: a private NATS, a fresh database, N in-process catalog replicas and a
 * typed client that talks to them over NATS like orders and the gateway do.
 */
export interface CatalogStack {
  nats: PrivateNats;
  database: TestDatabase;
  replicas: InProcessService[];
  client: CatalogClient;
  startReplica(name: string, env?: Record<string, string>): Promise<InProcessService>;
  stockOf(productId: string): Promise<number>;
  createProduct(overrides?: Partial<CreateProductRequest>): Promise<ProductResponse>;
  dispose(): Promise<void>;
}

let skuCounter = 0;

/** A unique sku per call, so each test creates its own data. */
export function uniqueSku(prefix = 'T'): string {
  skuCounter++;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${skuCounter}`;
}

export async function startCatalogStack(
  label: string,
  options: { replicas?: number; env?: Record<string, string>; rpcTimeoutMs?: number; openBus?: boolean } = {},
): Promise<CatalogStack> {
  // openBus: a bus without authorization, to prove what the services refuse on their own.
  const nats = await startPrivateNats({ authorization: !options.openBus });
  const database = await createTestDatabase(label);
  const replicas: InProcessService[] = [];
  // Public subjects as the gateway, stock subjects as orders: the callers catalog has in production.
  const callers = new PolicyCallers(nats, label);
  const client = new CatalogClient(callers.asNatsClient(), { timeoutMs: options.rpcTimeoutMs ?? 20_000 });

  const startReplica = async (name: string, env: Record<string, string> = {}): Promise<InProcessService> => {
    const replica = await startServiceInProcess({
      service: 'catalog',
      envClass: CatalogEnv,
      module: (config) => CatalogModule.forRoot(config),
      env: {
        ...nats.env('catalog'),
        DATABASE_URL: database.url,
        REPLICA_ID: name,
        DB_POOL_SIZE: '8',
        CURSOR_SECRET: 'catalog-test-cursor-secret-0123456789abcdef',
        ...options.env,
        ...env,
      },
    });
    replicas.push(replica);
    return replica;
  };

  const stack: CatalogStack = {
    nats,
    database,
    replicas,
    client,
    startReplica,
    stockOf: async (productId) => {
      const [row] = await queryDatabase<{ stock: number }>(database.url, 'SELECT stock FROM products WHERE id = $1', [
        productId,
      ]);
      return row.stock;
    },
    createProduct: (overrides = {}) =>
      client.createProduct({ sku: uniqueSku(), name: 'Test product', priceCents: 1000, stock: 10, ...overrides }),
    dispose: async () => {
      await callers.close();
      for (const replica of replicas.splice(0)) {
        await replica.close();
      }
      await nats.dispose();
      await database.drop();
    },
  };
  try {
    const count = options.replicas ?? 1;
    for (let i = 0; i < count; i++) {
      await startReplica(`${label}-${i + 1}`);
    }
    if (count > 0) {
      await expectEventually(async () => expect((await client.ping()).service).toBe('catalog'));
    }
  } catch (error) {
    await stack.dispose();
    throw error;
  }
  return stack;
}
