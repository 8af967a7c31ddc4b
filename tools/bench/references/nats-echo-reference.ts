/**
 * The `nats-roundtrip` reference: the bare cost of what every gateway route does, an HTTP request
 * answered through one NATS request/reply. node:http (no framework) and one nats.js connection,
 * like the gateway's; the responder (nats-echo-responder.ts) is another process, like a service.
 * The `me` target is a ratio to this: JWT verification and Nest must not dominate the hop.
 * The gateway's own /health/live is not a substitute: it never crosses NATS.
 *
 * Run by the bench with NATS_URL, SUBJECT and PORT (0: any free port). NATS_URL is an open
 * nats-server of the reference's own (references.ts): it measures raw NATS, on a subject no Bazaar
 * identity may use, so it connects without credentials.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { connect } from '@nats-io/transport-node';
import { exitOnSignals, reportToParent } from '../helper-protocol';

async function main(): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL, name: 'bench-nats-echo-reference' });
  const subject = process.env.SUBJECT ?? 'bench.echo';
  const server = createServer((request, response) => {
    const payload = JSON.stringify({ userId: '00000000-0000-4000-8000-000000000000', url: request.url });
    nc.request(subject, payload, { timeout: 5000 }).then(
      (reply) => {
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(reply.data);
      },
      () => response.writeHead(504).end(),
    );
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    reportToParent({ port: (server.address() as AddressInfo).port });
  });
  exitOnSignals(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await nc.drain();
  });
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
