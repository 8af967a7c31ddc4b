/**
 * The far end of the `nats-roundtrip` reference: a bare nats.js subscriber (queue group, as the
 * services subscribe) answering every request with a fixed user-sized JSON document. It stands
 * for "a service that costs nothing", so the reference measures only HTTP in, one NATS
 * request/reply, HTTP out. Run by the bench with NATS_URL and SUBJECT, on the reference's own open
 * nats-server (references.ts), so without credentials.
 */
import { connect } from '@nats-io/transport-node';
import { exitOnSignals, reportToParent } from '../helper-protocol';

/** About the size of a `GET /v1/auth/me` answer. */
const REPLY = JSON.stringify({
  id: '00000000-0000-4000-8000-000000000000',
  email: 'reference-user@bench.invalid',
  name: 'Reference User',
  role: 'customer',
  createdAt: '2026-01-01T00:00:00.000Z',
});

async function main(): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL, name: 'bench-nats-echo-responder' });
  nc.subscribe(process.env.SUBJECT ?? 'bench.echo', {
    queue: 'bench-echo',
    callback: (_error, message) => {
      message.respond(REPLY);
    },
  });
  await nc.flush();
  reportToParent({ subject: process.env.SUBJECT ?? 'bench.echo' });
  exitOnSignals(() => nc.drain());
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
