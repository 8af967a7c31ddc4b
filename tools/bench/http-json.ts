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

/** `404 not-found: Cannot POST /v1/orders`: how a probe failure is worded. */
export function describeAnswer(answer: JsonAnswer): string {
  const body = answer.body as { code?: string; detail?: string; message?: string } | undefined;
  const detail =
    typeof body === 'object' && body ? [body.code, body.detail ?? body.message].filter(Boolean).join(': ') : '';
  return `${answer.status}${detail ? ` ${detail}` : ''}`;
}
