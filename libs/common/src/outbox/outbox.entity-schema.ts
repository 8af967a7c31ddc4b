import { EntitySchema } from 'typeorm';

/** A row of the outbox, as the relay reads it. */
export interface OutboxRow {
  seq: string;
  id: string;
  subject: string;
  payload: unknown;
  occurredAt: Date;
  publishedAt: Date | null;
}

/**
 * The outbox table (`OUTBOX_TABLE_UP`) stated for TypeORM, so that each service lists it among its
 * entities and `migration:generate` neither ignores it nor proposes to change it. An EntitySchema,
 * not a decorated class: the writer and relay use plain SQL and never load rows through it, and
 * libs/common holds no `@Entity` (tools/ci/check-no-entities-in-common.sh). The outbox is the one
 * table every service has by design, which is why its definition lives here.
 */
export const OUTBOX_ENTITY = new EntitySchema<OutboxRow>({
  name: 'outbox',
  tableName: 'outbox',
  columns: {
    seq: { type: 'bigint', primary: true, generated: 'increment' },
    id: { type: 'uuid' },
    subject: { type: 'varchar', length: 200 },
    payload: { type: 'jsonb' },
    occurredAt: { name: 'occurred_at', type: 'timestamptz', default: () => 'now()' },
    publishedAt: { name: 'published_at', type: 'timestamptz', nullable: true },
  },
  uniques: [{ name: 'outbox_id_key', columns: ['id'] }],
  indices: [{ name: 'outbox_unpublished', columns: ['seq'], where: `"published_at" IS NULL` }],
});
