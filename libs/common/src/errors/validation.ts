import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Deeper than any payload of the API: deeper ones are rejected before anything walks them. */
export const MAX_PAYLOAD_DEPTH = 32;

/**
 * Finds what makes a payload unacceptable before validation walks it: a NUL character or a lone
 * surrogate (the path of the first one), or nesting deeper than MAX_PAYLOAD_DEPTH. Iterative, so a hostile
 * document can't exhaust the stack.
 */
export function findUnacceptableContent(value: unknown): { field: string; message: string } | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (typeof current.value === 'string') {
      if (current.value.includes('\u0000')) {
        return { field: current.path || '(body)', message: 'must not contain NUL characters' };
      }
      // A lone surrogate (JSON allows "\ud800") can't be stored as UTF-8 or hashed faithfully.
      if (!current.value.isWellFormed()) {
        return { field: current.path || '(body)', message: 'must be well-formed Unicode text' };
      }
    } else if (typeof current.value === 'object' && current.value !== null) {
      if (current.depth >= MAX_PAYLOAD_DEPTH) {
        return {
          field: current.path || '(body)',
          message: `must not be nested deeper than ${MAX_PAYLOAD_DEPTH} levels`,
        };
      }
      const isArray = Array.isArray(current.value);
      for (const [key, child] of Object.entries(current.value)) {
        const path = isArray ? `${current.path}[${key}]` : current.path ? `${current.path}.${key}` : key;
        pending.push({ value: child, path, depth: current.depth + 1 });
      }
    }
  }
  return undefined;
}

/**
 * PostgreSQL text cannot hold U+0000 (it fails the whole statement) and no field of the API has a
 * use for it; absurd nesting would exhaust the stack of the recursive validators. Both are
 * rejected as invalid before validation runs.
 */
class BazaarValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const problem = findUnacceptableContent(value);
    if (problem) {
      throw new DomainError('validation-error', 'The request is invalid', { errors: [problem] });
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/**
 * The one validation pipe of every process: unknown fields are rejected (no mass assignment),
 * payloads become DTO instances, and failures become `validation-error` domain errors, so they
 * travel over NATS and into problem+json like every other domain error.
 */
export function createValidationPipe(): ValidationPipe {
  return new BazaarValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: validationErrorOf,
  });
}
