/**
 * The stable error codes of the public API (docs/api.md#errors) and the HTTP status each maps to.
 * Services throw DomainErrors carrying these codes; the gateway turns them into problem+json.
 */
export const ERROR_CATALOG = {
  'validation-error': { status: 400, title: 'Bad Request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  conflict: { status: 409, title: 'Conflict' },
  'insufficient-stock': { status: 409, title: 'Conflict' },
  'idempotency-key-in-use': { status: 409, title: 'Conflict' },
  /** The customer's live orders of the rolling window already hold too many units (stock hoarding). */
  'unit-quota-exceeded': { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'Payload Too Large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'unknown-product': { status: 422, title: 'Unprocessable Content' },
  'mixed-currency': { status: 422, title: 'Unprocessable Content' },
  'idempotency-key-reused': { status: 422, title: 'Unprocessable Content' },
  /** One order asks for more units than any order may reserve. */
  'order-too-large': { status: 422, title: 'Unprocessable Content' },
  'rate-limited': { status: 429, title: 'Too Many Requests' },
  internal: { status: 500, title: 'Internal Server Error' },
  'service-unavailable': { status: 503, title: 'Service Unavailable' },
  'upstream-timeout': { status: 504, title: 'Gateway Timeout' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOG, value);
}

export function statusOf(code: ErrorCode): number {
  return ERROR_CATALOG[code].status;
}
