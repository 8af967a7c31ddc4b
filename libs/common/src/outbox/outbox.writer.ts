import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EventEnvelope } from '@app/contracts';

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
  const envelope: EventEnvelope<TData> = {
    id: randomUUID(),
    type: subject,
    occurredAt: new Date().toISOString(),
    data,
  };
  await manager.query(`INSERT INTO "outbox" ("id", "subject", "payload", "occurred_at") VALUES ($1, $2, $3, $4)`, [
    envelope.id,
    subject,
    JSON.stringify(envelope),
    envelope.occurredAt,
  ]);
  return envelope;
}
