import { ErrorCode, FieldError, statusOf } from '@app/contracts';

export interface DomainErrorOptions {
  cause?: unknown;
  /** Per-field details, for `validation-error`. */
  errors?: FieldError[];
  /** Seconds the client should wait, for `rate-limited`. */
  retryAfterSeconds?: number;
  /** Machine-readable extras that are safe to show to clients (e.g. the short product ids). */
  details?: Record<string, unknown>;
}

/**
 * The one error type business code throws. It carries a stable API code and never a transport
 * concept: the RPC filter and the gateway's problem mapper translate it at the edges.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly status: number;
  readonly errors?: FieldError[];
  readonly retryAfterSeconds?: number;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = statusOf(code);
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }
}
