import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@app/contracts';

/**
 * The one builder of event envelopes: the transactional writer (`appendToOutbox`), orders'
 * one-statement confirm and catalog's one-statement reserve all wrap their events with it.
 */
export function eventEnvelope<TData>(
  type: string,
  data: TData,
  occurredAt: Date = new Date(),
  id: string = randomUUID(),
): EventEnvelope<TData> {
  return { id, type, occurredAt: occurredAt.toISOString(), data };
}

/** One SQL expression per field of `T`. */
export type SqlExpressions<T> = { [K in keyof T]-?: string };

/**
 * SQL (jsonb) of an envelope built by `eventEnvelope` and passed as the jsonb parameter or column
 * `envelope`, with the data fields only the statement itself knows (`completion`, e.g. the stock a
 * row has after the statement's UPDATE) merged into its `data`. Everything else of the envelope
 * comes from the builder, so a one-statement path can't wrap its events differently.
 */
export function completedEnvelopeSql<TKnownByStatement>(
  envelope: string,
  completion: SqlExpressions<TKnownByStatement>,
): string {
  const fields = Object.entries<string>(completion).map(([field, sql]) => `'${field}', ${sql}`);
  return `jsonb_set(${envelope}, '{data}', (${envelope} -> 'data') || jsonb_build_object(${fields.join(', ')}))`;
}
