import { BazaarClient, Schemas } from '@app/api-client';
import { ProductResponse } from '@app/contracts';
import { TestTokenIssuer } from './auth-tokens';
import { bearer } from './auth-tokens';
import { gatewayApi, seen } from './gateway-api';
import { PrivateNats, startPrivateNats } from './nats-server';
import { AppProcess, appProcess } from './process-stack';
import { createTestDatabase, queryDatabase, TestDatabase } from './test-database';

/** Fast saga and recovery settings for the real orders processes of the e2e suites. */
export const E2E_ORDERS_ENV: Record<string, string> = {
  CATALOG_RPC_TIMEOUT_MS: '1000',
  PENDING_RECOVERY_AFTER_MS: '3000',
  RECOVERY_INTERVAL_MS: '250',
  DB_POOL_SIZE: '5',
  ORDERS_CURSOR_SECRET: 'orders-e2e-cursor-secret-0123456789abcdef',
};

/**
 * How long a test waits for recovery to settle what it must. The protocol's own bound is
 * PENDING_RECOVERY_AFTER_MS + RECOVERY_INTERVAL_MS + the recovery lease (3 × 1000 + 1000) ≈ 7.3 s;
 * this is a deadline for a loaded machine, not a measurement: tests assert states and counts.
 */
export const E2E_RECOVERY_DEADLINE_MS = 45_000;

/**
 * Orders as production runs it: real gateway, catalog and orders processes (built with `npm run
 * build`) on a private NATS and fresh databases, so replicas can be killed with SIGKILL or frozen
 * with SIGSTOP while orders are in flight.
 */
export class OrdersProcessStack {
  nats: PrivateNats;
  catalogDb: TestDatabase;
  ordersDb: TestDatabase;
  tokens: TestTokenIssuer;
  gateway: AppProcess;
  readonly catalogs: AppProcess[] = [];
  readonly orders: AppProcess[] = [];
  private adminToken: string;

  constructor(private readonly label: string) {}

  async start(options: { catalogs: number; orders: number }): Promise<this> {
    try {
      this.nats = await startPrivateNats();
      this.catalogDb = await createTestDatabase(`${this.label}cat`);
      this.ordersDb = await createTestDatabase(`${this.label}ord`);
      this.tokens = await TestTokenIssuer.create();
      this.adminToken = await this.tokens.adminToken();
      // One of each first, so migrations are done before the other replicas start.
      await this.startCatalog();
      await this.startOrders();
      await Promise.all([
        ...Array.from({ length: options.catalogs - 1 }, () => this.startCatalog()),
        ...Array.from({ length: options.orders - 1 }, () => this.startOrders()),
      ]);
      this.gateway = (
        await appProcess('gateway', {
          ...this.nats.env('gateway'),
          RATE_LIMIT_RPM: '0',
          RPC_TIMEOUT_MS: '5000',
          ...this.tokens.gatewayEnv(),
        })
      ).start();
      await this.gateway.waitUntilReady();
    } catch (error) {
      await this.dispose();
      throw error;
    }
    return this;
  }

  /** The generated client, pointed at the gateway. */
  get api(): BazaarClient {
    return gatewayApi(this.url);
  }

  get url(): string {
    return this.gateway.baseUrl;
  }

  async startCatalog(env: Record<string, string> = {}): Promise<AppProcess> {
    const replica = (
      await appProcess(
        'catalog',
        {
          ...this.nats.env('catalog'),
          DATABASE_URL: this.catalogDb.url,
          DB_POOL_SIZE: '5',
          CURSOR_SECRET: 'catalog-e2e-cursor-secret-0123456789abcdef',
          ...env,
        },
        `catalog-${this.catalogs.length + 1}`,
      )
    ).start();
    this.catalogs.push(replica);
    await replica.waitUntilReady();
    return replica;
  }

  async startOrders(env: Record<string, string> = {}): Promise<AppProcess> {
    const replica = (
      await appProcess(
        'orders',
        { ...this.nats.env('orders'), DATABASE_URL: this.ordersDb.url, ...E2E_ORDERS_ENV, ...env },
        `orders-${this.orders.length + 1}`,
      )
    ).start();
    this.orders.push(replica);
    await replica.waitUntilReady();
    return replica;
  }

  async createProduct(overrides: Partial<Schemas['CreateProductRequest']> = {}): Promise<ProductResponse> {
    const answer = await seen(
      this.api.POST('/v1/products', {
        headers: bearer(this.adminToken),
        body: {
          sku: `E2E-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
          name: 'E2E',
          priceCents: 500,
          stock: 10,
          ...overrides,
        },
      }),
    );
    if (answer.status !== 201) {
      throw new Error(`creating a product answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  async stockOf(productId: string): Promise<number> {
    const [row] = await queryDatabase<{ stock: number }>(
      this.catalogDb.url,
      'SELECT stock FROM products WHERE id = $1',
      [productId],
    );
    return row.stock;
  }

  ordersQuery<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return queryDatabase<T>(this.ordersDb.url, sql, params);
  }

  catalogQuery<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return queryDatabase<T>(this.catalogDb.url, sql, params);
  }

  async dispose(): Promise<void> {
    const processes = [this.gateway, ...this.catalogs, ...this.orders].filter(Boolean);
    for (const process of processes) {
      process.signal('SIGCONT');
    }
    await Promise.all(processes.map((process) => process.stop('SIGKILL')));
    await this.nats?.dispose();
    await Promise.all([this.catalogDb?.drop(), this.ordersDb?.drop()]);
  }
}
