import { DiscardPolicy, StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { ServiceEnv } from '../config/base.env';

/** JetStream forgets message ids after this window: a crashed relay must republish within it. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** How long events are kept, where: the service's outbox table and its JetStream stream. */
export interface EventRetention {
  /** Published outbox rows are deleted this long after publication (the stream holds the events). */
  outboxRetentionMs: number;
  stream: {
    /** Copies of the stream across the NATS cluster: 3 in production (survives a node), 1 on one server. */
    replicas: number;
    maxAgeMs: number;
    maxBytes: number;
  };
}

export function eventRetentionFrom(config: ServiceEnv): EventRetention {
  return {
    outboxRetentionMs: config.OUTBOX_RETENTION_HOURS * 3_600_000,
    stream: {
      replicas: config.EVENT_STREAM_REPLICAS,
      maxAgeMs: config.EVENT_STREAM_MAX_AGE_DAYS * 86_400_000,
      maxBytes: config.EVENT_STREAM_MAX_BYTES,
    },
  };
}

/**
 * The stream as the service's relay creates it, and sets it again at every start (limits changed
 * in the configuration reach existing streams too).
 *
 * Discard policy `old`: a stream at its byte limit drops its oldest events to take new ones, so a
 * full stream never refuses the relay's publications and never stops the outbox. The price is that
 * a consumer further behind than the limit loses the oldest events: watch the stream's bytes
 * against its limit (docs/operations.md, "Retention"), and consumers that need more history keep
 * their own.
 */
export function streamConfigOf(
  stream: { name: string; subjects: string[] },
  limits: EventRetention['stream'],
): Partial<StreamConfig> & { name: string } {
  return {
    name: stream.name,
    subjects: stream.subjects,
    num_replicas: limits.replicas,
    max_age: nanos(limits.maxAgeMs),
    max_bytes: limits.maxBytes,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, limits.maxAgeMs)),
  };
}
