import { CallHandler, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { DomainError } from '@app/common';
import { isDatabaseUnavailable } from './database-errors';

/**
 * An orders database that is down or overloaded is a 503 for the caller (retry later), not a 500:
 * clients with idempotency keys retry 503s safely, and an outage must not read as a bug.
 */
@Injectable()
export class DatabaseUnavailableInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) =>
        throwError(() =>
          !(error instanceof DomainError) && isDatabaseUnavailable(error)
            ? new DomainError('service-unavailable', 'The orders database is unavailable; retry later', {
                cause: error,
              })
            : error,
        ),
      ),
    );
  }
}
