import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@app/contracts';

/**
 * An event envelope as the shared outbox writer makes it (libs/common/src/outbox), for the one
 * statement that changes an order and appends its event together (see `outboxInsertFrom`).
 */
export function newEvent<TData>(subject: string, data: TData): EventEnvelope<TData> {
  return { id: randomUUID(), type: subject, occurredAt: new Date().toISOString(), data };
}

/**
 * SQL that appends `event` to the outbox once per row of the CTE `source`: used as a second CTE of
 * the statement whose first CTE makes the change, so the event is written iff the change is, in
 * the same statement (atomic without an explicit transaction: one round trip on the hot path
 * instead of four). Parameters `$first`..`$first+3` are the event's id, subject, payload, time.
 */
export function outboxInsertFrom(source: string, first: number): string {
  const [id, subject, payload, occurredAt] = [first, first + 1, first + 2, first + 3].map((n) => `$${n}`);
  return `INSERT INTO "outbox" ("id", "subject", "payload", "occurred_at")
    SELECT ${id}::uuid, ${subject}, ${payload}::jsonb, ${occurredAt}::timestamptz FROM "${source}"`;
}

export function outboxParams(event: EventEnvelope): unknown[] {
  return [event.id, event.type, JSON.stringify(event), event.occurredAt];
}
