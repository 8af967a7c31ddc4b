/** The envelope of every domain event on JetStream (docs/api.md#events). `type` is the subject. */
export interface EventEnvelope<TData = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  data: TData;
}
