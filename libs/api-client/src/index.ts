import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

/** A client of the Bazaar HTTP API whose routes, parameters, bodies and answers are typed by docs/openapi.json. */
export type BazaarClient = Client<paths>;

/** The response and request schemas by name: `Schemas['Order']`, `Schemas['Problem']`, … */
export type Schemas = components['schemas'];

/** The body of every error answer (application/problem+json). */
export type Problem = Schemas['Problem'];

/**
 * A client for the gateway at `baseUrl` (e.g. `http://127.0.0.1:3000`). Every call answers
 * `{ data, error, response }`: `data` typed by the route's success schema, `error` by the problem
 * schema, `response` the raw fetch Response (status, headers such as `x-request-id`).
 */
export function createBazaarClient(baseUrl: string, options: Omit<ClientOptions, 'baseUrl'> = {}): BazaarClient {
  return createClient<paths>({ ...options, baseUrl });
}

/** The header of an authenticated call: `client.GET('/v1/auth/me', { headers: bearer(token) })`. */
export function bearer(accessToken: string): { authorization: string } {
  return { authorization: `Bearer ${accessToken}` };
}
