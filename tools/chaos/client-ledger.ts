/** Every request attempt the clients made, as they saw it. */
export type Op = 'product-get' | 'product-list' | 'order-place' | 'order-cancel' | 'order-get' | 'login' | 'me';

export interface Attempt {
  op: Op;
  start: number;
  end: number;
  status?: number;
  code?: string;
  failure?: 'connection' | 'timeout';
  failureCode?: string;
  /** A reused keep-alive connection closed under the request (see Answer), so it was resent at once: not an error. */
  staleConnection?: boolean;
  replayed: boolean;
  /** 0 for a first attempt, n for the n-th retry of the same logical request. */
  retry: number;
}

/** One Idempotency-Key a client used, and every answer it got for it. */
export interface KeyRecord {
  key: string;
  userIndex: number;
  lines: Array<{ productId: string; quantity: number }>;
  /** Order ids of every answer that carried one (a 201, or a replayed 201). */
  orderIds: Set<string>;
  /** The order of the first 201, if any. */
  createdOrderId?: string;
  /** The last answer: a status, or the failure. */
  last?: string;
  /** The client stopped retrying without a final answer (its retry budget ran out). */
  gaveUp: boolean;
}

/**
 * What the clients saw: the invariants compare it with the databases. An order a client got a
 * 201 for must be confirmed, unless that client asked to cancel it; a key must never yield two
 * order ids.
 */
export class ClientLedger {
  readonly attempts: Attempt[] = [];
  readonly keys = new Map<string, KeyRecord>();
  /** Orders a client asked to cancel (whatever the answer: an unanswered cancel may still have happened). */
  readonly cancelRequested = new Set<string>();
  /** Confirmed orders (201) not asked to be cancelled yet, per customer: what cancellations pick from. */
  private readonly cancellable = new Map<number, string[]>();

  record(attempt: Attempt): void {
    this.attempts.push(attempt);
  }

  newKey(record: KeyRecord): void {
    this.keys.set(record.key, record);
  }

  created(record: KeyRecord, orderId: string): void {
    record.orderIds.add(orderId);
    if (record.createdOrderId === undefined) {
      record.createdOrderId = orderId;
      this.cancellable.set(record.userIndex, [...(this.cancellable.get(record.userIndex) ?? []), orderId]);
    }
  }

  /** A confirmed order of `userIndex` to cancel, now marked as asked-to-cancel; undefined when there is none. */
  takeCancellable(userIndex: number): string | undefined {
    const orders = this.cancellable.get(userIndex) ?? [];
    if (orders.length === 0) {
      return undefined;
    }
    const [orderId] = orders.splice(Math.floor(Math.random() * orders.length), 1);
    this.cancelRequested.add(orderId);
    return orderId;
  }

  /** Some confirmed order of `userIndex` to read back, if it has one. */
  someOrder(userIndex: number): string | undefined {
    const orders = this.cancellable.get(userIndex) ?? [];
    return orders[Math.floor(Math.random() * orders.length)];
  }

  attemptsBetween(from: number, to: number): Attempt[] {
    return this.attempts.filter((attempt) => attempt.start >= from && attempt.start < to);
  }
}
