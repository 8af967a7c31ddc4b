import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What follows one client request across every hop: HTTP → gateway → NATS → service. (Trace
 * context travels separately, through OpenTelemetry's own context, when tracing is on.)
 */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = 'x-request-id';

/** 1–128 characters of `[A-Za-z0-9._-]`: anything else is replaced (docs/api.md#request-ids; header-injection safe). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function saneRequestId(candidate: unknown): string {
  return typeof candidate === 'string' && SANE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
