import { BazaarClient, createBazaarClient } from '@app/api-client';

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** One JSON request outside the measured load (seeding, probes, ledgers); never throws on a status. */
export async function callJson(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<JsonAnswer> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's HTML error page, say): keep the text for the message.
  }
  return { status: response.status, body };
}

/**
 * The generated client (libs/api-client, typed by docs/openapi.json) for the set-up and
 * verification calls outside the measured load, with the same 30 s bound as `callJson`.
 */
export function benchApi(baseUrl: string): BazaarClient {
  return createBazaarClient(baseUrl, {
    fetch: (request: Request) => fetch(request, { signal: AbortSignal.timeout(30_000) }),
  });
}

/** A typed client call as a JsonAnswer: the success body, or the problem (or text) of an error. */
export async function answerOf(
  call: Promise<{ data?: unknown; error?: unknown; response: Response }>,
): Promise<JsonAnswer> {
  const { data, error, response } = await call;
  return { status: response.status, body: data ?? error };
}

/** `404 not-found: Cannot POST /v1/orders`: how a probe failure is worded. */
export function describeAnswer(answer: JsonAnswer): string {
  const body = answer.body as { code?: string; detail?: string; message?: string } | undefined;
  const detail =
    typeof body === 'object' && body ? [body.code, body.detail ?? body.message].filter(Boolean).join(': ') : '';
  return `${answer.status}${detail ? ` ${detail}` : ''}`;
}
