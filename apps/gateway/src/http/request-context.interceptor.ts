import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { runWithRequestContext } from '@app/common';

/**
 * Runs each handler inside the request's context, so its log lines and the NATS headers of every
 * call it makes carry the request id (Fastify assigned it from `x-request-id` or fresh).
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return new Observable((subscriber) =>
      runWithRequestContext({ requestId: request.id }, () => next.handle().subscribe(subscriber)),
    );
  }
}
