import { Backend, BACKENDS, query } from './chaos-databases';

export interface Line {
  productId: string;
  quantity: number;
}

export interface OrderRecord {
  id: string;
  userId: string;
  status: 'pending' | 'confirmed' | 'rejected' | 'cancelled';
  items: Line[];
  stockRelease: 'requested' | 'done' | null;
}

export interface ReservationRecord {
  orderId: string;
  status: 'pending' | 'reserved' | 'released' | 'rejected';
  lines: Line[];
}

export interface OutboxRecord {
  id: string;
  subject: string;
  published: boolean;
  /** `data.id` of the event: the order an orders event is about. */
  subjectId: string | null;
}

/** What the databases hold, read directly (not through the stack's proxies) once the run has settled. */
export interface DatabaseSnapshot {
  stock: Map<string, number>;
  reservations: ReservationRecord[];
  orders: OrderRecord[];
  /** Idempotency-Key → the order it produced. */
  keys: Map<string, string[]>;
  outbox: Record<Backend, OutboxRecord[]>;
}

const lines = (value: unknown): Line[] =>
  ((value as Array<{ productId: string; quantity: number }> | null) ?? []).map(({ productId, quantity }) => ({
    productId: productId.toLowerCase(),
    quantity,
  }));

export async function readSnapshot(urls: Record<Backend, string>): Promise<DatabaseSnapshot> {
  const [products, reservations, orders, keys, ...outboxes] = await Promise.all([
    query<{ id: string; stock: number }>(urls.catalog, `SELECT "id", "stock" FROM "products"`),
    query<{ order_id: string; status: ReservationRecord['status']; lines: unknown }>(
      urls.catalog,
      `SELECT "order_id", "status", "lines" FROM "reservations"`,
    ),
    query<{ id: string; user_id: string; status: OrderRecord['status']; items: unknown; stock_release: string | null }>(
      urls.orders,
      `SELECT "id", "user_id", "status", "items", "stock_release" FROM "orders"`,
    ),
    query<{ key: string; order_id: string }>(urls.orders, `SELECT "key", "order_id" FROM "idempotency_keys"`),
    ...BACKENDS.map((backend) =>
      query<{ id: string; subject: string; published: boolean; subject_id: string | null }>(
        urls[backend],
        `SELECT "id", "subject", "published_at" IS NOT NULL AS "published", "payload"->'data'->>'id' AS "subject_id"
         FROM "outbox"`,
      ),
    ),
  ]);
  const keyMap = new Map<string, string[]>();
  for (const row of keys) {
    keyMap.set(row.key, [...(keyMap.get(row.key) ?? []), row.order_id]);
  }
  return {
    stock: new Map(products.map((row) => [row.id, row.stock])),
    reservations: reservations.map((row) => ({ orderId: row.order_id, status: row.status, lines: lines(row.lines) })),
    orders: orders.map((row) => ({
      id: row.id,
      userId: row.user_id,
      status: row.status,
      items: lines(row.items),
      stockRelease: row.stock_release as OrderRecord['stockRelease'],
    })),
    keys: keyMap,
    outbox: Object.fromEntries(
      BACKENDS.map((backend, i) => [
        backend,
        outboxes[i].map((row) => ({
          id: row.id,
          subject: row.subject,
          published: row.published,
          subjectId: row.subject_id,
        })),
      ]),
    ) as Record<Backend, OutboxRecord[]>,
  };
}
