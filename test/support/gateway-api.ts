import { BazaarClient, createBazaarClient } from '@app/api-client';

/** What a test saw of one HTTP exchange. */
export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The generated client (libs/api-client) for a gateway under test: every route, parameter, body and
 * answer typed by docs/openapi.json, so each e2e run also exercises the published document.
 */
export function gatewayApi(baseUrl: string): BazaarClient {
  return createBazaarClient(baseUrl);
}

/**
 * An exchange through the typed client, as the tests read it: status, headers, and the body — the
 * route's success schema, or the problem on an error (read its `code` with a cast, as a client would
 * after checking the status).
 */
export async function seen<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<HttpResult<T>> {
  const { data, error, response } = await call;
  return { status: response.status, headers: response.headers, body: (data ?? error) as T };
}
