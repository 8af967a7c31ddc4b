import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '@app/common/errors';

/**
 * For routes that take no body (`POST /v1/orders/:id/cancel`): an absent or empty body passes; any
 * field is an unknown field (400), as on every other route, rather than being silently ignored.
 */
@Injectable()
export class NoBodyPipe implements PipeTransform {
  transform(value: unknown): undefined {
    if (value === undefined || value === null || (isRecord(value) && Object.keys(value).length === 0)) {
      return undefined;
    }
    const fields = isRecord(value) ? Object.keys(value) : ['(body)'];
    throw new DomainError('validation-error', 'The request is invalid', {
      errors: fields.map((field) => ({ field, message: `property ${field} should not exist` })),
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
