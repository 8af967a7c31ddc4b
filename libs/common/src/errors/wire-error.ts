import { isErrorCode, WireError } from '@app/contracts';
import { DomainError } from './domain-error';

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const candidate = value as Partial<WireError>;
  return isErrorCode(candidate.code) && typeof candidate.message === 'string' && typeof candidate.status === 'number';
}

export function toWireError(error: DomainError): WireError {
  return {
    code: error.code,
    message: error.message,
    status: error.status,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    ...(error.details ? { details: error.details } : {}),
  };
}

/** Turns a wire error received from a service back into the DomainError it was. */
export function fromWireError(wire: WireError): DomainError {
  return new DomainError(wire.code, wire.message, {
    errors: wire.errors,
    retryAfterSeconds: wire.retryAfterSeconds,
    details: wire.details,
  });
}
