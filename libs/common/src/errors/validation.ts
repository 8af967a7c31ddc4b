import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from './domain-error';
import { FieldError } from './field-error';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const field =
      prefix === '' ? error.property : isIndex ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

export function validationErrorOf(errors: ValidationError[]): DomainError {
  const fieldErrors = flatten(errors);
  return new DomainError('validation-error', 'The request is invalid', { errors: fieldErrors });
}

/**
 * The one validation pipe of every process: unknown fields are rejected (no mass assignment),
 * payloads become DTO instances, and failures become `validation-error` domain errors, so they
 * travel over NATS and into problem+json like every other domain error.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: validationErrorOf,
  });
}
