import { HttpException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { ERROR_CATALOG, ErrorCode, FieldError } from '@app/contracts';

/** RFC 9457 problem details, as every gateway error response carries them (docs/api.md#errors). */
export interface ProblemDetails {
  type: 'about:blank';
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  requestId: string;
  errors?: FieldError[];
  /** Machine-readable extension members a service chose to share (e.g. the short product ids). */
  details?: Record<string, unknown>;
}

export interface ProblemResponse {
  status: number;
  body: ProblemDetails;
  headers: Record<string, string>;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation-error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  503: 'service-unavailable',
  504: 'upstream-timeout',
};

const SAFE_DETAIL_BY_CODE: Partial<Record<ErrorCode, string>> = {
  'validation-error': 'The request is invalid',
  'payload-too-large': 'The request body is larger than the limit',
  'unsupported-media-type': 'Send the body as application/json',
  'not-found': 'No such resource',
};

/** Errors that frameworks raise with a status of their own (Nest HttpException, Fastify errors). */
function frameworkStatus(error: unknown): number | undefined {
  if (error instanceof HttpException) {
    return error.getStatus();
  }
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function domainErrorOf(error: unknown): DomainError {
  if (error instanceof DomainError) {
    return error;
  }
  const status = frameworkStatus(error);
  const code = status === undefined ? 'internal' : (CODE_BY_STATUS[status] ?? 'validation-error');
  const detail = SAFE_DETAIL_BY_CODE[code] ?? ERROR_CATALOG[code].title;
  // Stryker disable next-line ObjectLiteral: toProblem, the only reader of this error, answers fixed text and drops the cause; it stays for whoever logs this error later
  return new DomainError(code, detail, { cause: error });
}

/**
 * The gateway's one mapping point from any error to problem+json. Only DomainErrors contribute
 * their message; framework and unknown errors get a fixed text, so no stack, SQL or host name can
 * reach a client.
 */
export function toProblem(error: unknown, requestId: string): ProblemResponse {
  const domain = domainErrorOf(error);
  const { status, title } = ERROR_CATALOG[domain.code];
  const detail = domain.code === 'internal' ? 'An unexpected error occurred' : domain.message;
  const headers: Record<string, string> = { 'content-type': 'application/problem+json; charset=utf-8' };
  if (domain.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(domain.retryAfterSeconds)));
  }
  return {
    status,
    headers,
    body: {
      type: 'about:blank',
      title,
      status,
      code: domain.code,
      detail,
      requestId,
      ...(domain.errors ? { errors: domain.errors } : {}),
      ...(domain.details && domain.code !== 'internal' ? { details: domain.details } : {}),
    },
  };
}
