import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { extractTraceContext, inSpan, SpanKind } from '@app/common/tracing';

/**
 * With tracing on, runs each handler inside an HTTP server span that continues the caller's W3C
 * trace. Installed only when tracing is on (gateway.app.ts): an interceptor puts an rxjs pipeline
 * on every request, which the request id alone doesn't need (request-context-hooks.ts).
 */
@Injectable()
export class ServerSpanInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const parent = extractTraceContext((name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    });
    const route = request.routeOptions.url ?? 'unmatched';
    const attributes = { 'http.request.method': request.method, 'http.route': route };
    return from(
      inSpan(`${request.method} ${route}`, SpanKind.SERVER, parent, attributes, async (span) => {
        const result: unknown = await lastValueFrom(next.handle() as Observable<unknown>, {
          defaultValue: undefined,
        });
        span.setAttribute('http.response.status_code', context.switchToHttp().getResponse<FastifyReply>().statusCode);
        return result;
      }),
    );
  }
}
