import { ErrorCode } from './error-catalog';
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
