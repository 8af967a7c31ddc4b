import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { extractTraceContext, inSpan, SpanKind, tracingEnabled } from '@app/common/tracing';
import { runWithRequestContext } from '@app/common/context';

/**
 * Runs each handler inside the request's context, so its log lines and the NATS headers of every
 * call it makes carry the request id (Fastify assigned it from `x-request-id` or fresh), and,
 * with tracing on, inside an HTTP server span that continues the caller's W3C trace.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!tracingEnabled()) {
      return new Observable((subscriber) =>
        runWithRequestContext({ requestId: request.id }, () => next.handle().subscribe(subscriber)),
      );
    }
    const parent = extractTraceContext((name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    });
    const route = request.routeOptions.url ?? 'unmatched';
    const attributes = { 'http.request.method': request.method, 'http.route': route };
    return from(
      runWithRequestContext({ requestId: request.id }, () =>
        inSpan(`${request.method} ${route}`, SpanKind.SERVER, parent, attributes, async (span) => {
          const result: unknown = await lastValueFrom(next.handle() as Observable<unknown>, {
            defaultValue: undefined,
          });
          span.setAttribute('http.response.status_code', context.switchToHttp().getResponse<FastifyReply>().statusCode);
          return result;
        }),
      ),
    );
  }
}
