import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { isDatabaseUnavailable } from '../database/database-errors';
import { DomainError } from './domain-error';
import { toWireError } from './wire-error';
import { WireError } from '@app/contracts';

/**
 * Installed by every service: domain (and validation) errors cross NATS as `{code, message,
 * status}`; anything else is logged here, with the request id, and reaches the caller only as
 * `internal`, so no stack, SQL or host name ever leaves the service. A database that is down or
 * overloaded is `service-unavailable` (503): retryable, and not a bug.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(RpcErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (exception instanceof DomainError) {
      return throwError(() => toWireError(exception));
    }
    if (isDatabaseUnavailable(exception)) {
      // An outage or overload, not a bug: the caller may retry (idempotently) once it passes.
      this.logger.warn({ err: exception }, 'Database unavailable');
      const unavailable: WireError = {
        code: 'service-unavailable',
        message: 'The service cannot reach its database; retry later',
        status: 503,
      };
      return throwError(() => unavailable);
    }
    const pattern =
      host.getType() === 'rpc' ? host.switchToRpc().getContext<{ getSubject?: () => string }>() : undefined;
    this.logger.error({ err: exception, subject: pattern?.getSubject?.() }, 'Unhandled error in message handler');
    const wire: WireError = { code: 'internal', message: 'Internal error', status: 500 };
    return throwError(() => wire);
  }
}
