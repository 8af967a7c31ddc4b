import { ClientLedger } from './client-ledger';
import { Backend } from './chaos-databases';
import { DatabaseSnapshot, Line } from './database-snapshot';
import { StreamMessage } from './stream-reader';

export interface InvariantResult {
  name: string;
  ok: boolean;
  /** Empty when ok; otherwise the first few violations, worded for a person. */
  violations: string[];
  /** How many things were checked (products, orders, events…), so a pass is not a pass over nothing. */
  checked: number;
}

const SHOWN = 5;

function result(name: string, violations: string[], checked: number): InvariantResult {
  return {
    name,
    ok: violations.length === 0,
    violations:
      violations.length > SHOWN ? [...violations.slice(0, SHOWN), `… ${violations.length - SHOWN} more`] : violations,
    checked,
  };
}

function quantities(lines: Line[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of lines) {
    map.set(line.productId, (map.get(line.productId) ?? 0) + line.quantity);
  }
  return map;
}

function sameQuantities(a: Line[], b: Line[]): boolean {
  const [qa, qb] = [quantities(a), quantities(b)];
  return qa.size === qb.size && [...qa].every(([product, quantity]) => qb.get(product) === quantity);
}

/**
 * Stock conservation, per product: initial = current + what reservations still hold (reserved minus
 * released), never negative; and the orders agree with the catalog: a confirmed order holds exactly
 * its lines, a cancelled one gave them back, a rejected one holds nothing, no stock is held for an
 * order that isn't confirmed.
 */
export function checkStock(initial: Map<string, number>, snapshot: DatabaseSnapshot): InvariantResult {
  const violations: string[] = [];
  const held = new Map<string, number>();
  for (const reservation of snapshot.reservations.filter((r) => r.status === 'reserved')) {
    for (const [product, quantity] of quantities(reservation.lines)) {
      held.set(product, (held.get(product) ?? 0) + quantity);
    }
  }
  for (const [product, start] of initial) {
    const current = snapshot.stock.get(product);
    const holding = held.get(product) ?? 0;
    if (current === undefined) {
      violations.push(`product ${product} vanished`);
    } else if (current < 0) {
      violations.push(`product ${product}: stock ${current} < 0`);
    } else if (start !== current + holding) {
      violations.push(`product ${product}: initial ${start} ≠ current ${current} + reserved ${holding}`);
    }
  }
  const reservations = new Map(snapshot.reservations.map((r) => [r.orderId, r]));
  const orders = new Map(snapshot.orders.map((o) => [o.id, o]));
  for (const order of snapshot.orders) {
    const reservation = reservations.get(order.id);
    if (
      order.status === 'confirmed' &&
      !(reservation?.status === 'reserved' && sameQuantities(reservation.lines, order.items))
    ) {
      violations.push(`confirmed order ${order.id}: catalog reservation is ${reservation?.status ?? 'missing'}`);
    }
    if (order.status === 'cancelled' && reservation?.status !== 'released') {
      violations.push(`cancelled order ${order.id}: catalog reservation is ${reservation?.status ?? 'missing'}`);
    }
    if (order.status === 'rejected' && reservation?.status === 'reserved') {
      violations.push(`rejected order ${order.id} still holds stock`);
    }
  }
  for (const reservation of snapshot.reservations.filter((r) => r.status === 'reserved')) {
    const order = orders.get(reservation.orderId);
    if (order?.status !== 'confirmed') {
      violations.push(`stock held for order ${reservation.orderId}, which is ${order?.status ?? 'unknown to orders'}`);
    }
  }
  return result('stock conserved', violations, initial.size + snapshot.orders.length);
}

/**
 * What clients saw against what was stored: every 201 is a confirmed order (or one its client
 * cancelled); no Idempotency-Key produced two orders (in the answers, or in the database); every
 * order came from a key (the clients always send one).
 */
export function checkClientView(ledger: ClientLedger, snapshot: DatabaseSnapshot): InvariantResult {
  const violations: string[] = [];
  const orders = new Map(snapshot.orders.map((o) => [o.id, o]));
  let checked = 0;
  for (const record of ledger.keys.values()) {
    const stored = snapshot.keys.get(record.key) ?? [];
    if (stored.length > 1) {
      violations.push(`key ${record.key} produced orders ${stored.join(', ')}`);
    }
    if (record.orderIds.size > 1) {
      violations.push(`key ${record.key} was answered with orders ${[...record.orderIds].join(', ')}`);
    }
    if (record.createdOrderId === undefined) {
      continue;
    }
    checked++;
    const order = orders.get(record.createdOrderId);
    if (stored.length === 1 && stored[0] !== record.createdOrderId) {
      violations.push(`key ${record.key}: answered ${record.createdOrderId}, stored ${stored[0]}`);
    }
    if (!order) {
      violations.push(`order ${record.createdOrderId} (201 to a client) is not in the orders database`);
    } else if (order.status === 'cancelled' && !ledger.cancelRequested.has(order.id)) {
      violations.push(`order ${order.id} (201) was cancelled, but not by its client`);
    } else if (order.status !== 'confirmed' && order.status !== 'cancelled') {
      violations.push(`order ${order.id} (201 to a client) is ${order.status}`);
    }
  }
  const keyed = new Set([...snapshot.keys.values()].flat());
  for (const order of snapshot.orders.filter((o) => !keyed.has(o.id))) {
    violations.push(`order ${order.id} has no Idempotency-Key: created outside the key's protection`);
  }
  return result('201s confirmed, one order per key', violations, checked);
}

/** Nothing pending and no stock release owed once the recovery bound has passed. */
export function checkSettled(snapshot: DatabaseSnapshot, waitedMs: number, boundMs: number): InvariantResult {
  const violations = [
    ...snapshot.orders.filter((o) => o.status === 'pending').map((o) => `order ${o.id} still pending`),
    ...snapshot.orders
      .filter((o) => o.stockRelease === 'requested')
      .map((o) => `order ${o.id}: stock release still owed`),
    ...snapshot.reservations.filter((r) => r.status === 'pending').map((r) => `reservation ${r.orderId} still pending`),
  ].map((text) => `${text} ${Math.round(waitedMs / 1000)} s after the load stopped (bound ${boundMs} ms)`);
  return result('nothing pending after the recovery bound', violations, snapshot.orders.length);
}

const STREAM_OF: Record<Backend, string> = { auth: 'AUTH', catalog: 'CATALOG', orders: 'ORDERS' };

/**
 * Every committed event (outbox row) is in its stream exactly once by id, published; nothing is
 * in a stream that no committed change wrote; every confirmed (or later cancelled) order has
 * exactly one `confirmed` event, every cancelled one exactly one `cancelled` event.
 */
export function checkEvents(
  snapshot: DatabaseSnapshot,
  streams: Map<string, StreamMessage[] | undefined>,
): InvariantResult {
  const violations: string[] = [];
  let checked = 0;
  for (const backend of Object.keys(STREAM_OF) as Backend[]) {
    const stream = STREAM_OF[backend];
    const outbox = snapshot.outbox[backend];
    const messages = streams.get(stream) ?? [];
    if (streams.get(stream) === undefined && outbox.length > 0) {
      violations.push(`stream ${stream} does not exist, ${outbox.length} events committed`);
      continue;
    }
    const count = new Map<string, number>();
    messages.forEach((message) => count.set(message.id, (count.get(message.id) ?? 0) + 1));
    for (const event of outbox) {
      checked++;
      const times = count.get(event.id) ?? 0;
      if (!event.published) {
        violations.push(`${stream}: event ${event.id} (${event.subject}) never published`);
      } else if (times !== 1) {
        violations.push(`${stream}: event ${event.id} (${event.subject}) is in the stream ${times} times`);
      }
    }
    const committed = new Set(outbox.map((event) => event.id));
    for (const message of messages.filter((m) => !committed.has(m.id))) {
      violations.push(`${stream}: message ${message.id} (seq ${message.seq}) matches no committed event`);
    }
  }
  const ordersStream = streams.get('ORDERS') ?? [];
  const perOrder = new Map<string, { confirmed: number; cancelled: number }>();
  for (const message of ordersStream) {
    const entry = perOrder.get(message.subjectId ?? '') ?? { confirmed: 0, cancelled: 0 };
    if (message.subject === 'orders.events.confirmed') {
      entry.confirmed++;
    } else if (message.subject === 'orders.events.cancelled') {
      entry.cancelled++;
    }
    perOrder.set(message.subjectId ?? '', entry);
  }
  for (const order of snapshot.orders) {
    const seen = perOrder.get(order.id) ?? { confirmed: 0, cancelled: 0 };
    const expected = {
      confirmed: order.status === 'confirmed' || order.status === 'cancelled' ? 1 : 0,
      cancelled: order.status === 'cancelled' ? 1 : 0,
    };
    if (seen.confirmed !== expected.confirmed || seen.cancelled !== expected.cancelled) {
      violations.push(
        `order ${order.id} (${order.status}): ${seen.confirmed} confirmed and ${seen.cancelled} cancelled events`,
      );
    }
  }
  return result('every committed event in its stream exactly once', violations, checked);
}
