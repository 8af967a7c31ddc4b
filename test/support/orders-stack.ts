import { jetstreamManager } from '@nats-io/jetstream';
import { NatsConnection } from '@nats-io/transport-node';
import { EventEnvelope, OrderResponse, ProductResponse } from '@app/contracts';
import { OrdersEnv } from '../../apps/orders/src/config/orders.env';
import { OrdersModule } from '../../apps/orders/src/orders.module';
import { bearer, TestTokenIssuer } from './auth-tokens';
import { gatewayApi, HttpResult, seen } from './gateway-api';
import { CatalogStack, startCatalogStack } from './catalog-stack';
import { retryPause } from '../../tools/shared/backoff';
import { expectEventually } from './expect-eventually';
import { InProcessGateway, InProcessService, startGatewayInProcess, startServiceInProcess } from './in-process';
import { deadlocksIn } from './log-capture';
import { PrivateNats } from './nats-server';
import { createTestDatabase, queryDatabase, TestDatabase } from './test-database';

export interface SilentCatalog {
  swallowed: Array<{ subject: string; data: unknown }>;
  connection: NatsConnection;
  stop(): Promise<void>;
}

export type { HttpResult } from './gateway-api';

export interface OrderLine {
  productId: string;
  quantity: number;
}

/** Settings that make sagas and recovery fast enough for tests (overridable per stack or replica). */
export const FAST_ORDERS_ENV: Record<string, string> = {
  CATALOG_RPC_TIMEOUT_MS: '1000',
  PENDING_RECOVERY_AFTER_MS: '2500',
  RECOVERY_INTERVAL_MS: '200',
  DB_POOL_SIZE: '5',
  ORDERS_CURSOR_SECRET: 'orders-test-cursor-secret-0123456789abcdef',
};

/**
 * A raw HTTP request, for what the typed client (`gatewayApi`) can't express on purpose: malformed
 * JSON, unknown or mistyped fields, forged bodies. Everything a well-behaved client sends goes
 * through the typed client instead.
 */
export async function httpCall<T = unknown>(
  url: string,
  options: { method?: string; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const response = await fetch(url, {
    method: options.method ?? (hasBody ? 'POST' : 'GET'),
    headers: {
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? bearer(options.token) : {}),
      ...options.headers,
    },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * The orders service under test, in this process: a catalog stack (private NATS, catalog database,
 * catalog replicas), a fresh orders database, N orders replicas and one gateway that trusts test
 * tokens. Replicas can be added and closed to simulate a fleet changing under load.
 */
export class OrdersStack {
  catalog: CatalogStack;
  ordersDb: TestDatabase;
  orders: InProcessService[] = [];
  gateway: InProcessGateway;
  tokens: TestTokenIssuer;

  constructor(
    private readonly label: string,
    private readonly ordersEnv: Record<string, string> = {},
    private readonly gatewayEnv: Record<string, string> = {},
  ) {}

  async start(options: { catalogReplicas?: number; ordersReplicas?: number } = {}): Promise<this> {
    try {
      this.catalog = await startCatalogStack(`${this.label}cat`, {
        replicas: options.catalogReplicas ?? 1,
        env: { DB_POOL_SIZE: '5' },
      });
      this.ordersDb = await createTestDatabase(`${this.label}ord`);
      this.tokens = await TestTokenIssuer.create();
      for (let i = 0; i < (options.ordersReplicas ?? 1); i++) {
        await this.startOrdersReplica(`${this.label}-orders-${i + 1}`);
      }
      this.gateway = await startGatewayInProcess({
        ...this.nats.env('gateway'),
        RATE_LIMIT_RPM: '0',
        RPC_TIMEOUT_MS: '5000',
        ...this.tokens.gatewayEnv(),
        ...this.gatewayEnv,
      });
    } catch (error) {
      await this.dispose();
      throw error;
    }
    return this;
  }

  get url(): string {
    return this.gateway.url;
  }

  get nats(): PrivateNats {
    return this.catalog.nats;
  }

  async startOrdersReplica(name: string, env: Record<string, string> = {}): Promise<InProcessService> {
    const replica = await startServiceInProcess({
      service: 'orders',
      envClass: OrdersEnv,
      module: (config) => OrdersModule.forRoot(config),
      env: {
        ...this.nats.env('orders'),
        DATABASE_URL: this.ordersDb.url,
        REPLICA_ID: name,
        ...FAST_ORDERS_ENV,
        ...this.ordersEnv,
        ...env,
      },
    });
    this.orders.push(replica);
    return replica;
  }

  async closeOrdersReplica(replica: InProcessService): Promise<void> {
    this.orders = this.orders.filter((candidate) => candidate !== replica);
    await replica.close();
  }

  /** Closes every catalog replica: calls to catalog then fail at once with "no responders" (503). */
  async stopCatalog(): Promise<void> {
    for (const replica of this.catalog.replicas.splice(0)) {
      await replica.close();
    }
  }

  async startCatalog(replicas = 1): Promise<void> {
    for (let i = 0; i < replicas; i++) {
      await this.catalog.startReplica(`${this.label}cat-r${Date.now().toString(36)}-${i}`);
    }
    await expectEventually(async () => expect((await this.catalog.client.ping()).service).toBe('catalog'));
  }

  /**
   * A catalog that hears but never answers: joins catalog's queue group on `subjects` and drops
   * every request (the real replicas should be stopped, or some requests reach them). Keeps the
   * payloads it swallowed, e.g. to play a reserve whose answer was lost.
   */
  async silenceCatalog(subjects: string[]): Promise<SilentCatalog> {
    // As catalog: only catalog's identity may join its queue group.
    const connection = await this.nats.connect('catalog');
    const swallowed: Array<{ subject: string; data: unknown }> = [];
    for (const subject of subjects) {
      connection.subscribe(subject, {
        queue: 'catalog',
        callback: (_error, message) => {
          swallowed.push({ subject, data: message.json<{ data: unknown }>().data });
        },
      });
    }
    await connection.flush();
    return { swallowed, connection, stop: () => connection.close() };
  }

  createProduct(overrides: Partial<Parameters<CatalogStack['createProduct']>[0]> = {}): Promise<ProductResponse> {
    return this.catalog.createProduct(overrides);
  }

  stockOf(productId: string): Promise<number> {
    return this.catalog.stockOf(productId);
  }

  placeOrder(token: string, items: OrderLine[], key?: string): Promise<HttpResult<OrderResponse>> {
    return seen(
      gatewayApi(this.url).POST('/v1/orders', {
        params: { header: key === undefined ? {} : { 'Idempotency-Key': key } },
        headers: bearer(token),
        body: { items },
      }),
    );
  }

  /**
   * What a careful client does: sends the order with an Idempotency-Key and, while the answer is
   * 503/504 (not replayed) or 409 idempotency-key-in-use, sends it again with the same key after a
   * jittered exponential backoff (`firstDelayMs` doubling up to 2 s), until it gets a final answer
   * (which it returns) or `timeoutMs` has passed (then the last answer fails the test). Retrying at
   * a fixed short interval would make a storm of clients a load of its own that keeps the stack
   * saturated, which no real client library does.
   */
  async placeWithRetries(
    token: string,
    items: OrderLine[],
    key: string,
    timeoutMs = 90_000,
    firstDelayMs = 100,
  ): Promise<HttpResult<OrderResponse>> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.placeOrder(token, items, key);
      if (!isRetryable(answer) || Date.now() > deadline) {
        expect({ retryable: isRetryable(answer), status: answer.status }).toEqual({
          retryable: false,
          status: answer.status,
        });
        return answer;
      }
      await retryPause(attempt, firstDelayMs);
    }
  }

  /** Deadlocks any live catalog or orders replica logged: placeWithRetries retries the 503 they become. */
  deadlocksLogged(): Array<Record<string, unknown>> {
    return [...this.catalog.replicas, ...this.orders].flatMap((replica) => deadlocksIn(replica.logs.lines));
  }

  cancelOrder(token: string, orderId: string): Promise<HttpResult<OrderResponse>> {
    return seen(
      gatewayApi(this.url).POST('/v1/orders/{id}/cancel', {
        params: { path: { id: orderId } },
        headers: bearer(token),
      }),
    );
  }

  getOrder(token: string, orderId: string): Promise<HttpResult<OrderResponse>> {
    return seen(
      gatewayApi(this.url).GET('/v1/orders/{id}', { params: { path: { id: orderId } }, headers: bearer(token) }),
    );
  }

  /** Rows of the orders database, for asserting on outcomes. */
  query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return queryDatabase<T>(this.ordersDb.url, sql, params);
  }

  catalogQuery<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return queryDatabase<T>(this.catalog.database.url, sql, params);
  }

  async orderRow(orderId: string): Promise<{ status: string; stock_release: string | null } | undefined> {
    const [row] = await this.query<{ status: string; stock_release: string | null }>(
      'SELECT status, stock_release FROM orders WHERE id = $1',
      [orderId],
    );
    return row;
  }

  async dispose(): Promise<void> {
    await this.gateway?.close();
    for (const replica of this.orders.splice(0)) {
      await replica.close();
    }
    await this.catalog?.dispose();
    await this.ordersDb?.drop();
  }
}

/**
 * 503, 504 and 409 idempotency-key-in-use say "retry later with the same key", except a replayed
 * 503/504: that is final (the order was rejected because its reservation never completed).
 */
export function isRetryable(answer: HttpResult<unknown>): boolean {
  const code = (answer.body as { code?: string } | undefined)?.code;
  const replayed = answer.headers.get('idempotent-replayed') === 'true';
  return ((answer.status === 503 || answer.status === 504) && !replayed) || code === 'idempotency-key-in-use';
}

/** Every message in a JetStream stream, in order (empty when the stream doesn't exist yet). */
export async function readStream<T = unknown>(nats: PrivateNats, stream: string): Promise<Array<EventEnvelope<T>>> {
  // As the read-only events consumer other teams get.
  const connection = await nats.connect('events');
  try {
    const manager = await jetstreamManager(connection);
    const info = await manager.streams.info(stream).catch(() => undefined);
    if (!info) {
      return [];
    }
    const messages: Array<EventEnvelope<T>> = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await manager.streams.getMessage(stream, { seq }).catch(() => null);
      if (message) {
        messages.push(message.json<EventEnvelope<T>>());
      }
    }
    return messages;
  } finally {
    await connection.close();
  }
}

/**
 * The stock invariant of one product: what it started with equals what it has plus what its
 * confirmed (not cancelled) orders hold, and catalog's reservations agree with the orders.
 */
export async function expectStockAccountedFor(stack: OrdersStack, productId: string, initial: number): Promise<void> {
  await expectEventually(async () => {
    const [{ held }] = await stack.query<{ held: string | null }>(
      `SELECT coalesce(sum((item->>'quantity')::int), 0) AS held
       FROM orders, jsonb_array_elements(items) AS item
       WHERE status = 'confirmed' AND item->>'productId' = $1`,
      [productId],
    );
    const [{ reserved }] = await stack.catalogQuery<{ reserved: string | null }>(
      `SELECT coalesce(sum((line->>'quantity')::int), 0) AS reserved
       FROM reservations, jsonb_array_elements(lines) AS line
       WHERE status = 'reserved' AND line->>'productId' = $1`,
      [productId],
    );
    const stock = await stack.stockOf(productId);
    expect({ stock, held: Number(held), reserved: Number(reserved) }).toEqual({
      stock: initial - Number(held),
      held: Number(held),
      reserved: Number(held),
    });
  }, 20_000);
}
