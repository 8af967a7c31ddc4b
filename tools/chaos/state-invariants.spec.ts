import { ClientLedger, KeyRecord } from './client-ledger';
import { DatabaseSnapshot, OrderRecord, ReservationRecord } from './database-snapshot';
import { checkClientView, checkEvents, checkSettled, checkStock } from './state-invariants';
import { StreamMessage } from './stream-reader';

const P1 = 'p1';
const P2 = 'p2';

function snapshot(parts: Partial<DatabaseSnapshot>): DatabaseSnapshot {
  return {
    stock: new Map(),
    reservations: [],
    orders: [],
    keys: new Map(),
    outbox: { auth: [], catalog: [], orders: [] },
    ...parts,
  };
}

const order = (id: string, status: OrderRecord['status'], quantity = 2): OrderRecord => ({
  id,
  userId: 'u1',
  status,
  items: [{ productId: P1, quantity }],
  stockRelease: status === 'cancelled' ? 'done' : null,
});

const reservation = (orderId: string, status: ReservationRecord['status'], quantity = 2): ReservationRecord => ({
  orderId,
  status,
  lines: [{ productId: P1, quantity }],
});

function keyRecord(key: string, createdOrderId?: string): KeyRecord {
  return {
    key,
    userIndex: 0,
    lines: [{ productId: P1, quantity: 2 }],
    orderIds: new Set(createdOrderId ? [createdOrderId] : []),
    createdOrderId,
    gaveUp: false,
  };
}

describe(checkStock.name, () => {
  const initial = new Map([
    [P1, 10],
    [P2, 5],
  ]);

  it('holds when current stock plus what confirmed orders hold is the initial stock', () => {
    const sut = checkStock(
      initial,
      snapshot({
        stock: new Map([
          [P1, 8],
          [P2, 5],
        ]),
        orders: [order('o1', 'confirmed'), order('o2', 'cancelled'), order('o3', 'rejected')],
        reservations: [reservation('o1', 'reserved'), reservation('o2', 'released'), reservation('o3', 'rejected')],
      }),
    );

    expect(sut).toMatchObject({ ok: true, violations: [] });
  });

  it('catches stock a cancellation never gave back', () => {
    const sut = checkStock(
      initial,
      snapshot({
        stock: new Map([
          [P1, 8],
          [P2, 5],
        ]),
        orders: [order('o2', 'cancelled')],
        reservations: [reservation('o2', 'released')],
      }),
    );

    expect(sut.ok).toBe(false);
    expect(sut.violations).toEqual([expect.stringContaining('initial 10 ≠ current 8 + reserved 0')]);
  });

  it('catches stock held for an order that is not confirmed, and a confirmed order holding nothing', () => {
    const sut = checkStock(
      initial,
      snapshot({
        stock: new Map([
          [P1, 8],
          [P2, 5],
        ]),
        orders: [order('o1', 'rejected'), order('o2', 'confirmed')],
        reservations: [reservation('o1', 'reserved')],
      }),
    );

    expect(sut.violations).toEqual(
      expect.arrayContaining([
        expect.stringContaining('confirmed order o2: catalog reservation is missing'),
        expect.stringContaining('rejected order o1 still holds stock'),
        expect.stringContaining('stock held for order o1, which is rejected'),
      ]),
    );
  });
});

describe(checkClientView.name, () => {
  it('holds when every 201 is confirmed or cancelled by its client', () => {
    const ledger = new ClientLedger();
    ledger.newKey(keyRecord('k1', 'o1'));
    ledger.newKey(keyRecord('k2', 'o2'));
    ledger.cancelRequested.add('o2');

    const sut = checkClientView(
      ledger,
      snapshot({
        orders: [order('o1', 'confirmed'), order('o2', 'cancelled')],
        keys: new Map([
          ['k1', ['o1']],
          ['k2', ['o2']],
        ]),
      }),
    );

    expect(sut).toMatchObject({ ok: true, checked: 2 });
  });

  it('catches a 201 that was not kept, a cancellation nobody asked for, and a key with two orders', () => {
    const ledger = new ClientLedger();
    ledger.newKey(keyRecord('k1', 'o1'));
    ledger.newKey(keyRecord('k2', 'o2'));
    const twice = keyRecord('k3', 'o3');
    twice.orderIds.add('o4');
    ledger.newKey(twice);

    const sut = checkClientView(
      ledger,
      snapshot({
        orders: [order('o1', 'rejected'), order('o2', 'cancelled'), order('o3', 'confirmed'), order('o5', 'confirmed')],
        keys: new Map([
          ['k1', ['o1']],
          ['k2', ['o2']],
          ['k3', ['o3']],
        ]),
      }),
    );

    expect(sut.violations).toEqual(
      expect.arrayContaining([
        'order o1 (201 to a client) is rejected',
        'order o2 (201) was cancelled, but not by its client',
        'key k3 was answered with orders o3, o4',
        expect.stringContaining('order o5 has no Idempotency-Key'),
      ]),
    );
  });
});

describe(checkSettled.name, () => {
  it('names what is still pending', () => {
    const sut = checkSettled(snapshot({ orders: [order('o1', 'pending')] }), 20_000, 18_000);

    expect(sut.ok).toBe(false);
    expect(sut.violations[0]).toMatch(/order o1 still pending 20 s after the load stopped \(bound 18000 ms\)/);
  });
});

describe(checkEvents.name, () => {
  const message = (seq: number, id: string, subject: string, subjectId: string | null = null): StreamMessage => ({
    seq,
    id,
    subject,
    subjectId,
  });

  it('holds when every committed event is in its stream once and every confirmed order has its event', () => {
    const sut = checkEvents(
      snapshot({
        orders: [order('o1', 'confirmed')],
        outbox: {
          auth: [],
          catalog: [],
          orders: [{ id: 'e1', subject: 'orders.events.confirmed', published: true, subjectId: 'o1' }],
        },
      }),
      new Map([
        ['ORDERS', [message(1, 'e1', 'orders.events.confirmed', 'o1')]],
        ['CATALOG', []],
        ['AUTH', undefined],
      ]),
    );

    expect(sut).toMatchObject({ ok: true, checked: 1 });
  });

  it('catches a duplicate, a lost event, an event without a commit and an order without its event', () => {
    const sut = checkEvents(
      snapshot({
        orders: [order('o1', 'confirmed'), order('o2', 'cancelled')],
        outbox: {
          auth: [],
          catalog: [{ id: 'c1', subject: 'catalog.events.stock-changed', published: true, subjectId: null }],
          orders: [
            { id: 'e1', subject: 'orders.events.confirmed', published: true, subjectId: 'o1' },
            { id: 'e2', subject: 'orders.events.confirmed', published: true, subjectId: 'o2' },
          ],
        },
      }),
      new Map([
        [
          'ORDERS',
          [
            message(1, 'e1', 'orders.events.confirmed', 'o1'),
            message(2, 'e1', 'orders.events.confirmed', 'o1'),
            message(3, 'x9', 'orders.events.cancelled', 'o2'),
          ],
        ],
        ['CATALOG', []],
        ['AUTH', []],
      ]),
    );

    expect(sut.violations).toEqual(
      expect.arrayContaining([
        'ORDERS: event e1 (orders.events.confirmed) is in the stream 2 times',
        'ORDERS: event e2 (orders.events.confirmed) is in the stream 0 times',
        'CATALOG: event c1 (catalog.events.stock-changed) is in the stream 0 times',
        'ORDERS: message x9 (seq 3) matches no committed event',
        'order o1 (confirmed): 2 confirmed and 0 cancelled events',
      ]),
    );
  });
});
