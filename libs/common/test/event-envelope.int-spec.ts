import { DataSource } from 'typeorm';
import { appendToOutbox, outboxInsertFrom } from '@app/common/outbox';
import { completedEnvelopeSql, eventEnvelope } from '@app/common/outbox';
import { OUTBOX_TABLE_UP } from '../src/outbox/outbox.schema';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';

interface Change {
  productId: string;
  delta: number;
  sku: string;
  stock: number;
}

const TYPE = 'catalog.events.stock-changed';
const AT = new Date('2026-12-06T10:11:12.345Z');
const ID = '0e5a1b6c-7d8e-4f90-a1b2-c3d4e5f60718';

/**
 * Every event goes through `eventEnvelope`: at once (`appendToOutbox`), or completed by the
 * statement that makes the change (`completedEnvelopeSql` + `outboxInsertFrom`, catalog's
 * one-statement reserve and orders' one-statement confirm). A suite against Postgres, because the
 * second path is SQL: the proof is what Postgres makes of it.
 */
describe(eventEnvelope.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('envelope');
    dataSource = new DataSource({ type: 'postgres', url: database.url, synchronize: false });
    await dataSource.initialize();
    for (const sql of OUTBOX_TABLE_UP) {
      await dataSource.query(sql);
    }
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const outboxRow = async (id: string) =>
    (
      await dataSource.query<Array<{ id: string; subject: string; payload: unknown; occurred_at: Date }>>(
        `SELECT "id", "subject", "payload", "occurred_at" FROM "outbox" WHERE "id" = $1`,
        [id],
      )
    )[0];

  it('is the same envelope whether built whole in TypeScript or completed by the statement', async () => {
    const whole = eventEnvelope<Change>(TYPE, { productId: 'p-1', delta: -2, sku: 'SKU-1', stock: 7 }, AT, ID);
    const partial = eventEnvelope<Omit<Change, 'sku' | 'stock'>>(TYPE, { productId: 'p-1', delta: -2 }, AT, ID);

    const [{ envelope }] = await dataSource.query<Array<{ envelope: unknown }>>(
      `WITH "taken" AS (SELECT $1::jsonb AS "event", 'SKU-1'::text AS "sku", 7 AS "stock")
       SELECT ${completedEnvelopeSql<Pick<Change, 'sku' | 'stock'>>('"taken"."event"', { sku: '"taken"."sku"', stock: '"taken"."stock"' })} AS "envelope"
       FROM "taken"`,
      [JSON.stringify(partial)],
    );

    expect(envelope).toEqual(whole);
    expect(whole).toEqual({ id: ID, type: TYPE, occurredAt: '2026-12-06T10:11:12.345Z', data: whole.data });
  });

  it('writes the same outbox row through the transactional writer and through a statement', async () => {
    const data = { productId: 'p-2', delta: 3 };
    const written = await dataSource.transaction((manager) => appendToOutbox(manager, TYPE, data));
    const inStatement = eventEnvelope(TYPE, data);
    await dataSource.query(`WITH "changed" AS (SELECT 1) ${outboxInsertFrom('changed', '$1::jsonb')}`, [
      JSON.stringify(inStatement),
    ]);

    const rows = [await outboxRow(written.id), await outboxRow(inStatement.id)];
    for (const [row, envelope] of [
      [rows[0], written],
      [rows[1], inStatement],
    ] as const) {
      expect(row).toEqual({
        id: envelope.id,
        subject: TYPE,
        payload: envelope,
        occurred_at: new Date(envelope.occurredAt),
      });
    }
  });
});
