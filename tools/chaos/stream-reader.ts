import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { BusCredentials, connectAs } from '../nats/local-nats-server';

export interface StreamMessage {
  seq: number;
  subject: string;
  /** The event id: `Nats-Msg-Id`, or the envelope's `id` when the header is missing. */
  id: string;
  /** The envelope's `data.id` (the order of an orders event), when it has one. */
  subjectId: string | null;
}

const BATCH = 500;

/**
 * Every message of each stream, read from the first sequence to the last with an ordered consumer
 * (nothing is acknowledged or left behind on the server). A stream that doesn't exist reads as
 * `undefined`: its service never published. Read as `events`, the read-only identity other teams'
 * consumers use: the checker sees the streams exactly as they can, and can change nothing.
 */
export async function readStreams(
  natsUrl: string,
  credentials: BusCredentials | undefined,
  names: string[],
): Promise<Map<string, StreamMessage[] | undefined>> {
  const nc = await connectAs(natsUrl, credentials, 'events', { name: 'bazaar-chaos-checker', timeout: 10_000 });
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const result = new Map<string, StreamMessage[] | undefined>();
    for (const name of names) {
      const info = await jsm.streams.info(name).catch(() => undefined);
      if (!info) {
        result.set(name, undefined);
        continue;
      }
      const lastSeq = info.state.last_seq;
      const messages: StreamMessage[] = [];
      if (info.state.messages > 0) {
        const consumer = await js.consumers.get(name);
        let seq = 0;
        while (seq < lastSeq) {
          // Exactly what is left (a batch asking for more would wait out its expiry for messages that never come).
          const batch = await consumer.fetch({ max_messages: Math.min(BATCH, lastSeq - seq), expires: 5000 });
          let got = 0;
          for await (const message of batch) {
            got++;
            seq = message.seq;
            const envelope = message.json<{ id?: string; data?: { id?: unknown } }>();
            messages.push({
              seq,
              subject: message.subject,
              id: message.headers?.get('Nats-Msg-Id') || String(envelope.id),
              subjectId: typeof envelope.data?.id === 'string' ? envelope.data.id : null,
            });
            if (seq >= lastSeq) {
              break;
            }
          }
          if (got === 0) {
            throw new Error(`Reading stream ${name}: stalled at sequence ${seq} of ${lastSeq}`);
          }
        }
      }
      result.set(name, messages);
    }
    return result;
  } finally {
    await nc.close();
  }
}
