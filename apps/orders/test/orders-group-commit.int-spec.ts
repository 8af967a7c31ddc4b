import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { eventEnvelope } from '@app/common/outbox';
import { ORDERS_EVENTS } from '@app/contracts';
import { expectEventually } from '@test/support/expect-eventually';
import { OrdersStack } from '@test/support/orders-stack';
import { OrderAdmission } from '../src/orders/order-admission.service';
import { OrdersRepository } from '../src/orders/orders.repository';

describe('group commit of the orders saga (docs/orders-saga.md#group-commit)', () => {
  let stack: OrdersStack;
  let sut: OrdersRepository;

  beforeAll(async () => {
    stack = await new OrdersStack('groupc', {
      RECOVERY_ENABLED: 'false',
      MAX_UNITS_PER_ORDER: '10',
      MAX_UNITS_PER_CUSTOMER: '20',
    }).start({ ordersReplicas: 2 });
    sut = stack.orders[0].app.get(OrdersRepository);
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  const pendingOrders = async (count: number): Promise<string[]> => {
    const ids = Array.from({ length: count }, () => randomUUID());
    await stack.query(
      `INSERT INTO orders (id, user_id, requested, next_recovery_at)
       SELECT id, $2, $3, NULL FROM unnest($1::uuid[]) AS id`,
      [ids, randomUUID(), JSON.stringify([{ productId: randomUUID(), quantity: 1 }])],
    );
    return ids;
  };

  const confirmation = (id: string, eventId: string = randomUUID()) => {
    const at = new Date();
    const pricing = { items: [], totalCents: 500, currency: 'EUR' };
    return [id, pricing, at, eventEnvelope(ORDERS_EVENTS.CONFIRMED, { id }, at, eventId)] as const;
  };

  const confirmedEvents = (ids: string[]) =>
    stack.query<{ id: string }>(
      `SELECT payload->'data'->>'id' AS id FROM outbox WHERE subject = $1 AND payload->'data'->>'id' = ANY($2)`,
      [ORDERS_EVENTS.CONFIRMED, ids],
    );

  describe('confirm', () => {
    it('confirms the confirmable orders of a batch in one statement and leaves the fenced ones to their fence', async () => {
      const ids = await pendingOrders(6);
      const fenced = [ids[1], ids[4]];
      for (const id of fenced) {
        await sut.requestFence(id);
      }

      const answers = await Promise.all(ids.map((id) => sut.confirm(...confirmation(id))));

      expect(answers.map((row) => row?.status)).toEqual([
        'confirmed',
        undefined,
        'confirmed',
        'confirmed',
        undefined,
        'confirmed',
      ]);
      expect(answers[0]).toMatchObject({ id: ids[0], totalCents: '500', currency: 'EUR', stockRelease: null });
      const rows = await stack.query<{ id: string; status: string; stock_release: string | null; tx: string }>(
        `SELECT id, status, stock_release, xmin::text AS tx FROM orders WHERE id = ANY($1)`,
        [ids],
      );
      const confirmedRows = rows.filter((row) => row.status === 'confirmed');
      expect(confirmedRows.map((row) => row.id).sort()).toEqual(ids.filter((id) => !fenced.includes(id)).sort());
      expect(new Set(confirmedRows.map((row) => row.tx)).size).toBe(1); // one statement wrote them all
      expect(rows.filter((row) => fenced.includes(row.id))).toEqual(
        fenced.map((id) => expect.objectContaining({ id, status: 'pending', stock_release: 'requested' })),
      );
      expect((await confirmedEvents(ids)).map((event) => event.id).sort()).toEqual(
        confirmedRows.map((row) => row.id).sort(),
      );
    });

    it('confirms an order once when two confirms of it arrive together', async () => {
      const [id] = await pendingOrders(1);

      const answers = await Promise.all([sut.confirm(...confirmation(id)), sut.confirm(...confirmation(id))]);

      expect(answers.filter((row) => row?.status === 'confirmed')).toHaveLength(1);
      expect(answers.filter((row) => row === undefined)).toHaveLength(1);
      expect(await confirmedEvents([id])).toHaveLength(1);
    });

    it('isolates a member that fails the batch statement: it fails alone, the others are confirmed', async () => {
      const ids = await pendingOrders(4);
      const takenEventId = randomUUID();
      await stack.query(`INSERT INTO outbox (id, subject, payload) VALUES ($1, 'test.taken', '{}')`, [takenEventId]);

      const answers = await Promise.allSettled(
        ids.map((id, i) => sut.confirm(...confirmation(id, i === 2 ? takenEventId : undefined))),
      );

      expect(answers.map((answer) => answer.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const rows = await stack.query<{ id: string; status: string }>(
        `SELECT id, status FROM orders WHERE id = ANY($1)`,
        [ids],
      );
      expect(Object.fromEntries(rows.map((row) => [row.id, row.status]))).toEqual({
        [ids[0]]: 'confirmed',
        [ids[1]]: 'confirmed',
        [ids[2]]: 'pending', // its own statement rolled back with its event: recovery settles it
        [ids[3]]: 'confirmed',
      });
      expect(await confirmedEvents(ids)).toHaveLength(3);
    });
  });

  describe('admission', () => {
    const code = (answer: { body: unknown }): string | undefined => (answer.body as { code?: string }).code;

    it("never lets one customer's concurrent placements, batched with others', exceed the unit budget", async () => {
      const product = await stack.createProduct({ stock: 1000 });
      const line = [{ productId: product.id, quantity: 3 }];
      const hoarder = await stack.tokens.customer();
      const others = await Promise.all(Array.from({ length: 10 }, () => stack.tokens.customer()));

      const [hoarded, alongside] = await Promise.all([
        Promise.all(Array.from({ length: 30 }, () => stack.placeOrder(hoarder.token, line, randomUUID()))),
        Promise.all(others.map((other) => stack.placeOrder(other.token, line, randomUUID()))),
      ]);

      expect(alongside.map((answer) => answer.status)).toEqual(others.map(() => 201));
      const accepted = hoarded.filter((answer) => answer.status === 201);
      expect(accepted).toHaveLength(6); // 6 × 3 = 18 ≤ 20 < 21
      expect(hoarded.filter((answer) => code(answer) === 'unit-quota-exceeded')).toHaveLength(24);
      const [{ units }] = await stack.query<{ units: number }>(
        `SELECT coalesce(sum((line->>'quantity')::integer), 0)::integer AS units
         FROM orders CROSS JOIN LATERAL jsonb_array_elements(requested) AS line WHERE user_id = $1`,
        [hoarder.userId],
      );
      expect(units).toBe(18);
      expect(await stack.stockOf(product.id)).toBe(1000 - 3 * 16);
    });

    it("waits for the customer's lock, so a batch judges the units committed by the admission before it", async () => {
      const product = await stack.createProduct({ stock: 1000 });
      const [waiting, beside] = await Promise.all([stack.tokens.customer(), stack.tokens.customer()]);
      const holder = new Client({ connectionString: stack.ordersDb.url });
      await holder.connect();
      try {
        // An admission of 18 units holding the customer's lock, not committed yet.
        await holder.query('BEGIN');
        await holder.query(`SELECT pg_advisory_xact_lock(hashtext('bazaar-orders-customer-units'), hashtext($1))`, [
          waiting.userId,
        ]);
        await holder.query(`INSERT INTO orders (id, user_id, requested) VALUES ($1, $2, $3)`, [
          randomUUID(),
          waiting.userId,
          JSON.stringify([{ productId: product.id, quantity: 18 }]),
        ]);
        const admission = stack.orders[0].app.get(OrderAdmission);
        const submit = (userId: string) =>
          admission.admitUnderKey(
            { id: randomUUID(), userId, requested: [{ productId: product.id, quantity: 3 }], recoverAfterMs: 60_000 },
            { userId, role: 'customer' },
            { userId, key: randomUUID(), fingerprint: 'f', leaseMs: 10_000, ttlHours: 1 },
          );
        const answers = Promise.allSettled([submit(waiting.userId), submit(beside.userId)]);
        await expectEventually(async () => {
          const [row] = await stack.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`,
          );
          expect(Number(row.n)).toBeGreaterThanOrEqual(1);
        });
        await holder.query('COMMIT');

        const [late, other] = await answers;
        expect(late).toMatchObject({ status: 'rejected', reason: { code: 'unit-quota-exceeded' } }); // 18 + 3 > 20
        expect(other.status).toBe('fulfilled');
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        await holder.end();
      }
    });

    it('refuses the member over its budget in a batch alone: nothing created for it, the others admitted together', async () => {
      const product = await stack.createProduct({ stock: 1000 });
      const full = await stack.tokens.customer();
      for (let i = 0; i < 2; i++) {
        expect((await stack.placeOrder(full.token, [{ productId: product.id, quantity: 9 }])).status).toBe(201);
      }
      const others = await Promise.all(Array.from({ length: 4 }, () => stack.tokens.customer()));
      const refusedKey = randomUUID();
      const keys = others.map(() => randomUUID());
      const admission = stack.orders[0].app.get(OrderAdmission);
      const submit = (userId: string, quantity: number, key: string) =>
        admission.admitUnderKey(
          { id: randomUUID(), userId, requested: [{ productId: product.id, quantity }], recoverAfterMs: 60_000 },
          { userId, role: 'customer' },
          { userId, key, fingerprint: 'f', leaseMs: 10_000, ttlHours: 1 },
        );

      const answers = await Promise.allSettled([
        submit(full.userId, 3, refusedKey),
        ...others.map((other, i) => submit(other.userId, 2, keys[i])),
      ]);

      expect(answers[0]).toMatchObject({ status: 'rejected', reason: { code: 'unit-quota-exceeded' } });
      expect(answers.slice(1).map((answer) => answer.status)).toEqual(others.map(() => 'fulfilled'));
      expect(await stack.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [refusedKey])).toEqual([]);
      expect(await stack.query(`SELECT 1 FROM orders WHERE user_id = $1`, [full.userId])).toHaveLength(2);
      const written = await stack.query<{ tx: string }>(
        `SELECT DISTINCT xmin::text AS tx FROM idempotency_keys WHERE key = ANY($1)`,
        [keys],
      );
      expect(written).toHaveLength(1); // one transaction admitted them all
    });
  });
});
