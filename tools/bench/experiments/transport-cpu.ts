/**
 * CPU per request of a service's NATS transport alone: a Nest microservice on BazaarNatsServer
 * whose one handler returns a Promise (like every Bazaar handler) and does no I/O, answering
 * REQUESTS requests kept 64 in flight by a bare nats.js requester in this process. The service is
 * a child process; its CPU (utime + stime from /proc) over the run ÷ requests is the figure. On a
 * shared machine req/s moves with the neighbours' load; CPU per request far less.
 *
 *   NATS_URL=nats://127.0.0.1:<open server> node --import tsx tools/bench/experiments/transport-cpu.ts [repo root]
 *
 * The optional repo root (default: this one) names whose libs/common to load: run it against a
 * checkout of another commit to compare transports on the same machine, interleaved.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from '@nats-io/transport-node';

const SUBJECT = 'probe.transport.echo';
const REQUESTS = Number(process.env.REQUESTS ?? 20_000);
const IN_FLIGHT = 64;

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function service(root: string): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { Controller, Module } = require('@nestjs/common') as typeof import('@nestjs/common');
  const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
  const { MessagePattern, Payload } = require('@nestjs/microservices') as typeof import('@nestjs/microservices');
  const common = join(root, 'libs/common/src');
  const { BazaarNatsServer } = require(join(common, 'messaging/bazaar-nats.server')) as {
    BazaarNatsServer: new (settings: unknown) => object;
  };
  const { BazaarMetrics } = require(join(common, 'ops/metrics')) as { BazaarMetrics: new (s: string) => unknown };
  const { RpcErrorFilter } = require(join(common, 'errors/rpc-exception.filter')) as {
    RpcErrorFilter: new () => object;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */

  @Controller()
  class EchoController {
    @MessagePattern(SUBJECT)
    echo(@Payload() data: { n: number }): Promise<{ n: number; name: string }> {
      return Promise.resolve({ n: data.n, name: 'probe' });
    }
  }
  @Module({ controllers: [EchoController] })
  class EchoModule {}

  const strategy = new BazaarNatsServer({
    bus: { servers: [process.env.NATS_URL!], identity: 'probe' },
    service: 'probe',
    shutdownGraceMs: 1000,
    metrics: new BazaarMetrics('probe'),
  });
  const app = await NestFactory.createMicroservice(EchoModule, { strategy: strategy as never, logger: false });
  app.useGlobalFilters(new RpcErrorFilter() as never);
  await app.listen();
  process.stdout.write('READY\n');
}

async function measure(root: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, root], {
    env: { ...process.env, ROLE: 'service' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready) =>
    createInterface({ input: child.stdout }).on('line', (line) => line === 'READY' && ready()),
  );
  const nc = await connect({ servers: process.env.NATS_URL });
  let sent = 0;
  const one = async (): Promise<void> => {
    while (sent < REQUESTS) {
      const n = sent++;
      await nc.request(SUBJECT, JSON.stringify({ pattern: SUBJECT, data: { n }, id: String(n) }), { timeout: 10_000 });
    }
  };
  sent = REQUESTS - 2000; // warm-up: 2000 requests, not counted
  await Promise.all(Array.from({ length: IN_FLIGHT }, one));
  sent = 0;
  const ticksBefore = cpuTicks(child.pid!);
  const started = Date.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, one));
  const ms = ((cpuTicks(child.pid!) - ticksBefore) * 1000) / 100;
  process.stdout.write(
    `${root}: ${REQUESTS} requests in ${Date.now() - started} ms, service CPU ${ms} ms = ` +
      `${(ms / REQUESTS).toFixed(4)} ms per request\n`,
  );
  await nc.close();
  child.kill('SIGKILL');
}

const root = resolve(process.argv[2] ?? join(__dirname, '..', '..', '..'));
void (process.env.ROLE === 'service' ? service(root) : measure(root)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
