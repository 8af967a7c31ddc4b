import { ErrorCode, isErrorCode } from './error-catalog';
import { DomainError } from './domain-error';
import { FieldError } from './field-error';

/** The shape in which an error crosses NATS from a service to its caller. */
export interface WireError {
  code: ErrorCode;
  message: string;
  status: number;
  errors?: FieldError[];
  retryAfterSeconds?: number;
  details?: Record<string, unknown>;
}

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
