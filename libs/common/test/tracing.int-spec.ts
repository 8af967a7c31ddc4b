import { BaseEnv, ServiceEnv, validateEnv } from '@app/common/config';
import { initTracing, shutdownTracing } from '@app/common/tracing';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { expectEventually } from '@test/support/expect-eventually';
import {
  InProcessGateway,
  InProcessService,
  startGatewayInProcess,
  startServiceInProcess,
} from '@test/support/in-process';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';
import { probeGatewayModule, ProbeServiceModule } from './fixtures/probe';

class ProbeEnv extends ServiceEnv {}

describe('tracing across HTTP and NATS hops', () => {
  const exporter = new InMemorySpanExporter();
  let nats: PrivateNats;
  let database: TestDatabase;
  let service: InProcessService;
  let gateway: InProcessGateway;

  beforeAll(async () => {
    await initTracing('test', { exporter });
    // The plumbing, on the probe fixture's own subjects: an open bus (the permissions have their own suite).
    nats = await startPrivateNats({ authorization: false });
    database = await createTestDatabase('tracing');
    service = await startServiceInProcess({
      service: 'probe',
      envClass: ProbeEnv,
      module: (config) => ProbeServiceModule.forRoot(config, 'probe-t'),
      env: { NATS_URL: nats.url, DATABASE_URL: database.url },
    });
    const env = { NATS_URL: nats.url, RATE_LIMIT_RPM: '0' };
    gateway = await startGatewayInProcess(env, [probeGatewayModule(validateEnv(BaseEnv, env))]);
    await expectEventually(async () => expect((await fetch(`${gateway.url}/probe/whoami`)).status).toBe(200));
  });

  afterAll(async () => {
    await gateway?.close();
    await service?.close();
    await nats?.dispose();
    await database?.drop();
    await shutdownTracing();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('continues the caller trace through the gateway span, the NATS client span and the service span', async () => {
    exporter.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${gateway.url}/probe/whoami`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });

    const spans = await expectEventually(() => {
      const finished = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      expect(finished).toHaveLength(3);
      return finished;
    });
    const http = spans.find((s) => s.name === 'GET /probe/whoami')!;
    const client = spans.find((s) => s.name === 'NATS probe.system.whoami' && s.kind === SpanKind.CLIENT)!;
    const server = spans.find((s) => s.name === 'NATS probe.system.whoami' && s.kind === SpanKind.SERVER)!;

    expect(http.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(client.parentSpanContext?.spanId).toBe(http.spanContext().spanId);
    expect(server.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
  });
});
