/**
 * Does a NATS service gain from holding its replies until the end of the event-loop turn?
 * nats.js already coalesces what is published within one microtask checkpoint into one socket
 * write (protocol.js sendCommand: the first command queues a microtask flush). A service's replies
 * though are published from separate I/O callbacks (one per Postgres answer), and Node drains the
 * microtasks after each, so each reply may cost its own write. This measures socket writes and CPU
 * per reply for a responder that answers each request after a real primary-key SELECT (pool of
 * 10), replying at once vs. queued and published together in a `setImmediate`.
 *
 *   NATS_URL=nats://127.0.0.1:<open server> DATABASE_URL=postgres://…/<db with products> \
 *     node --import tsx tools/bench/experiments/reply-coalescing.ts
 */
import { connect, Msg, NatsConnection } from '@nats-io/transport-node';
import { Socket } from 'node:net';
import { Pool } from 'pg';

const SUBJECT = 'experiment.reply-coalescing';
const IN_FLIGHT = 64;
const SECONDS = Number(process.env.SECONDS ?? 5);

const writes = new Map<Socket, number>();
const originalWrite = Socket.prototype.write;
Socket.prototype.write = function (this: Socket, ...args: unknown[]) {
  writes.set(this, (writes.get(this) ?? 0) + 1);
  return originalWrite.apply(this, args as Parameters<typeof originalWrite>);
};

/** The socket nats.js writes to for `nc`: the one written to when it flushes. */
async function socketOf(nc: NatsConnection): Promise<Socket> {
  const before = new Map(writes);
  await nc.flush();
  const [socket] = [...writes].filter(([s, count]) => count !== before.get(s)).map(([s]) => s);
  return socket;
}

async function run(mode: 'direct' | 'per-turn', pool: Pool, ids: string[]): Promise<void> {
  const responder = await connect({ servers: process.env.NATS_URL });
  const requester = await connect({ servers: process.env.NATS_URL });
  const responderSocket = await socketOf(responder);
  let queued: Array<[Msg, string]> = [];
  const flushTurn = (): void => {
    const batch = queued;
    queued = [];
    for (const [msg, payload] of batch) {
      msg.respond(payload);
    }
  };
  const reply = (msg: Msg, payload: string): void => {
    if (mode === 'direct') {
      msg.respond(payload);
      return;
    }
    if (queued.push([msg, payload]) === 1) {
      setImmediate(flushTurn);
    }
  };
  responder.subscribe(SUBJECT, {
    queue: 'experiment',
    callback: (_error, msg) => {
      void pool
        .query('SELECT * FROM products WHERE id = $1', [msg.string()])
        .then(({ rows }) => reply(msg, JSON.stringify(rows[0] ?? null)));
    },
  });
  await responder.flush();
  const writesBefore = writes.get(responderSocket) ?? 0;
  const cpuBefore = process.cpuUsage();
  const deadline = Date.now() + SECONDS * 1000;
  let answered = 0;
  const loop = async (): Promise<void> => {
    while (Date.now() < deadline) {
      await requester.request(SUBJECT, ids[answered % ids.length], { timeout: 5000 });
      answered++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  const cpu = process.cpuUsage(cpuBefore);
  const replyWrites = (writes.get(responderSocket) ?? 0) - writesBefore;
  process.stdout.write(
    `${mode.padEnd(8)} ${answered} replies, ${(replyWrites / answered).toFixed(3)} writes/reply, ` +
      `${((cpu.user + cpu.system) / 1000 / answered).toFixed(4)} ms CPU/reply (whole process, requester included)\n`,
  );
  await requester.close();
  await responder.close();
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM products LIMIT 1000');
  const ids = rows.map((row) => row.id);
  for (const mode of ['direct', 'per-turn', 'direct', 'per-turn'] as const) {
    await run(mode, pool, ids);
  }
  await pool.end();
}

void main();
