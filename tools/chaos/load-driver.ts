import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Attempt, ClientLedger, KeyRecord, Op } from './client-ledger';
import { ChaosFixture } from './fixture';
import { Answer, HttpClient, RequestOptions } from './http-client';
import { backoffDelayMs } from '../shared/backoff';

export interface LoadSettings {
  clients: number;
  /** A client's pause between two operations (jittered ±50 %). */
  thinkMs: number;
  /** How long a client keeps retrying an order placement or a cancellation before giving up. */
  retryBudgetMs: number;
}

/** Share of each operation in the mix (reads, order placement, cancellations, logins). */
const MIX: ReadonlyArray<[Op, number]> = [
  ['product-get', 40],
  ['product-list', 10],
  ['order-place', 28],
  ['order-cancel', 7],
  ['order-get', 5],
  ['me', 6],
  ['login', 4],
];
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);
/** Share of confirmed orders whose placement a client sends once more with the same key (a lost answer). */
const REPLAY_SHARE = 0.2;

/** A retrying client's backoff (tools/shared/backoff.ts): 150–300 ms at first, at most 3 s. */
const CLIENT_FIRST_RETRY_MS = 300;
const CLIENT_MAX_RETRY_MS = 3_000;

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
const between = (low: number, high: number): number => low + Math.floor(Math.random() * (high - low + 1));

/** Worth retrying with the same Idempotency-Key (or the same cancel): no final answer yet. */
function retryable(answer: Answer): boolean {
  if (answer.failure) {
    return true;
  }
  if (answer.status === 503 || answer.status === 504) {
    // A replayed 503/504 is final: the order was rejected because its reservation never completed.
    return !answer.replayed;
  }
  return answer.status === 429 || answer.code === 'idempotency-key-in-use';
}

/**
 * The steady mixed load: `clients` loops, each picking an operation by the mix, as a random
 * customer. Order placements carry a fresh Idempotency-Key and are retried with the same key on
 * 503/504/429, `idempotency-key-in-use` and connection failures, with backoff; so are cancellations.
 * Every attempt is recorded in the ledger, retries included.
 */
export class LoadDriver {
  private running: Array<Promise<void>> = [];
  private stopping = false;

  constructor(
    private readonly http: HttpClient,
    private readonly fixture: ChaosFixture,
    private readonly ledger: ClientLedger,
    private readonly settings: LoadSettings,
  ) {}

  start(): void {
    this.stopping = false;
    this.running = Array.from({ length: this.settings.clients }, () => this.client());
  }

  /** Stops starting operations and waits for those under way, retries included. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
    this.running = [];
  }

  private async client(): Promise<void> {
    while (!this.stopping) {
      await this.operation(this.pickOp(), between(0, this.fixture.users.length - 1));
      await sleep(this.settings.thinkMs * (0.5 + Math.random()));
    }
  }

  private pickOp(): Op {
    let roll = Math.random() * MIX_TOTAL;
    for (const [op, weight] of MIX) {
      roll -= weight;
      if (roll < 0) {
        return op;
      }
    }
    return 'product-get';
  }

  private async operation(op: Op, userIndex: number): Promise<void> {
    const user = this.fixture.users[userIndex];
    switch (op) {
      case 'product-get':
        await this.once(op, 'GET', `/v1/products/${pick(this.fixture.productIds)}`);
        return;
      case 'product-list':
        await this.once(op, 'GET', `/v1/products?limit=20&sort=price_asc&category=${pick(this.fixture.categories)}`);
        return;
      case 'me':
        await this.once(op, 'GET', '/v1/auth/me', { token: user.accessToken });
        return;
      case 'login': {
        const answer = await this.once(op, 'POST', '/v1/auth/login', {
          body: { email: user.email, password: user.password },
        });
        const token = (answer.body as { accessToken?: string } | undefined)?.accessToken;
        if (answer.status === 200 && token) {
          user.accessToken = token;
          user.tokenAt = Date.now();
        }
        return;
      }
      case 'order-get': {
        const orderId = this.ledger.someOrder(userIndex);
        if (orderId) {
          await this.once(op, 'GET', `/v1/orders/${orderId}`, { token: user.accessToken });
        }
        return;
      }
      case 'order-cancel':
        await this.cancel(userIndex);
        return;
      case 'order-place':
        await this.place(userIndex);
        return;
    }
  }

  private async once(op: Op, method: string, path: string, options?: RequestOptions, retry = 0): Promise<Answer> {
    let answer = await this.http.send(method, path, options);
    // Every request of the mix may be resent (GETs, logins, keyed POSTs): at once, once, on a new
    // connection. Not on another pooled one: a replica shutting down closes all its idle connections
    // at the same instant, so the next pooled socket may be closing too.
    if (answer.staleConnection) {
      this.ledger.record(this.attemptOf(op, answer, retry, true));
      answer = await this.http.send(method, path, options, true);
    }
    this.ledger.record(this.attemptOf(op, answer, retry, false));
    return answer;
  }

  private attemptOf(op: Op, answer: Answer, retry: number, resent: boolean): Attempt {
    return {
      op,
      start: answer.start,
      end: answer.end,
      status: answer.status,
      code: answer.code,
      failure: answer.failure,
      failureCode: answer.failureCode,
      staleConnection: resent,
      replayed: answer.replayed,
      retry,
    };
  }

  /** Repeats the request while it is retryable and the budget lasts; answers the last answer. */
  private async withRetries(op: Op, method: string, path: string, options: () => RequestOptions): Promise<Answer> {
    const deadline = Date.now() + this.settings.retryBudgetMs;
    for (let retry = 0; ; retry++) {
      const answer = await this.once(op, method, path, options(), retry);
      if (!retryable(answer) || Date.now() > deadline) {
        return answer;
      }
      const backoff = backoffDelayMs(retry, CLIENT_FIRST_RETRY_MS, CLIENT_MAX_RETRY_MS);
      await sleep(answer.retryAfterS !== undefined ? Math.max(backoff, answer.retryAfterS * 1000) : backoff);
    }
  }

  private async place(userIndex: number): Promise<void> {
    const user = this.fixture.users[userIndex];
    const products = new Set<string>();
    const lineCount = between(1, 3);
    while (products.size < lineCount) {
      products.add(Math.random() < 0.5 ? pick(this.fixture.hotProductIds) : pick(this.fixture.productIds));
    }
    const record: KeyRecord = {
      key: randomUUID(),
      userIndex,
      lines: [...products].map((productId) => ({ productId, quantity: between(1, 3) })),
      orderIds: new Set(),
      gaveUp: false,
    };
    this.ledger.newKey(record);
    const answer = await this.withRetries('order-place', 'POST', '/v1/orders', () => ({
      body: { items: record.lines },
      token: user.accessToken,
      headers: { 'idempotency-key': record.key },
    }));
    record.last = answer.failure ?? String(answer.status);
    record.gaveUp = retryable(answer);
    const orderId = (answer.body as { id?: string } | undefined)?.id;
    if (answer.status === 201 && orderId) {
      this.ledger.created(record, orderId);
      if (Math.random() < REPLAY_SHARE) {
        await this.replay(record);
      }
    }
  }

  /** The same key and body again, as a client that lost the first answer would: must be the same order. */
  private async replay(record: KeyRecord): Promise<void> {
    const answer = await this.once('order-place', 'POST', '/v1/orders', {
      body: { items: record.lines },
      token: this.fixture.users[record.userIndex].accessToken,
      headers: { 'idempotency-key': record.key },
    });
    const orderId = (answer.body as { id?: string } | undefined)?.id;
    if (answer.status === 201 && orderId) {
      record.orderIds.add(orderId);
    }
  }

  private async cancel(userIndex: number): Promise<void> {
    const orderId = this.ledger.takeCancellable(userIndex);
    if (!orderId) {
      return;
    }
    await this.withRetries('order-cancel', 'POST', `/v1/orders/${orderId}/cancel`, () => ({
      token: this.fixture.users[userIndex].accessToken,
    }));
  }
}
