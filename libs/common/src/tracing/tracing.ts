import { Context, context, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

interface TracerProviderHandle {
  shutdown(): Promise<void>;
}

/** Anything with `export(spans, done)`: the OTLP exporter in production, an in-memory one in tests. */
export type SpanExporterLike = object;

let provider: TracerProviderHandle | undefined;

/**
 * Turns tracing on when an OTLP endpoint (or, in tests, an exporter) is given. The SDK is loaded
 * only then: with tracing off, the spans below are never created and the API is a no-op, so the
 * cost is one boolean check per hop.
 */
export async function initTracing(
  service: string,
  target: { endpoint?: string; exporter?: SpanExporterLike },
): Promise<void> {
  if (provider || (!target.endpoint && !target.exporter)) {
    return;
  }
  const { NodeTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  let processor;
  if (target.exporter) {
    processor = new SimpleSpanProcessor(target.exporter as never);
  } else {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processor = new BatchSpanProcessor(
      new OTLPTraceExporter({ url: `${target.endpoint!.replace(/\/$/, '')}/v1/traces` }),
    );
  }
  const nodeProvider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `bazaar-${service}` }),
    spanProcessors: [processor],
  });
  // Registers the W3C trace-context propagator and the AsyncLocalStorage context manager.
  nodeProvider.register();
  provider = nodeProvider;
}

export async function shutdownTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
}

export function tracingEnabled(): boolean {
  return provider !== undefined;
}

/** The parent context carried by incoming headers (HTTP or NATS), as a W3C traceparent. */
export function extractTraceContext(getHeader: (name: string) => string | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, undefined, {
    keys: () => ['traceparent', 'tracestate'],
    get: (_carrier, key) => getHeader(key),
  });
}

/** Writes the active span's trace context into outgoing headers. */
export function injectTraceContext(setHeader: (name: string, value: string) => void): void {
  propagation.inject(context.active(), undefined, { set: (_carrier, key, value) => setHeader(key, value) });
}

/** Runs `fn` inside a new span (child of `parent`), ending it with the outcome. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const span = trace.getTracer('bazaar').startSpan(name, { kind, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as { code?: string }).code ?? 'error' });
    throw error;
  } finally {
    span.end();
  }
}

export { SpanKind, context as otelContext };
