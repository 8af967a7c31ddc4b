import { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@app/contracts';
import { eventEnvelope } from './event-envelope';

/**
 * Appends a domain event to the outbox inside the caller's transaction (pass the transaction's
 * EntityManager): the event exists if and only if the change it describes committed. The relay
 * publishes it afterwards.
 */
export async function appendToOutbox<TData>(
  manager: EntityManager,
  subject: string,
  data: TData,
): Promise<EventEnvelope<TData>> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error(`appendToOutbox(${subject}) must run inside the transaction of the change it describes`);
  }
  const envelope = eventEnvelope(subject, data);
  await manager.query(`INSERT INTO "outbox" ("id", "subject", "payload", "occurred_at") VALUES ($1, $2, $3, $4)`, [
    envelope.id,
    subject,
    JSON.stringify(envelope),
    envelope.occurredAt,
  ]);
  return envelope;
}

/**
 * SQL that appends one event per row of the CTE `source`, its payload the jsonb expression
 * `payload` (an envelope made by `eventEnvelope`, passed as a parameter or a column of `source`,
 * see `completedEnvelopeSql`): used as a later CTE of the statement whose first CTE makes the
 * change, so the event is written iff the change is, in the same statement (atomic without an
 * explicit transaction: one round trip on the hot path instead of four).
 */
export function outboxInsertFrom(source: string, payload: string): string {
  return `INSERT INTO "outbox" ("id", "subject", "payload", "occurred_at")
    SELECT (${payload} ->> 'id')::uuid, ${payload} ->> 'type', ${payload}, (${payload} ->> 'occurredAt')::timestamptz
    FROM "${source}"`;
}
