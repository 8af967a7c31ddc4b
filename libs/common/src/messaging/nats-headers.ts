import { headers as natsHeaders, MsgHdrs } from '@nats-io/transport-node';
import { currentRequestContext, REQUEST_ID_HEADER } from '../context/request-context';
import { injectTraceContext, tracingEnabled } from '../tracing/tracing';

/** NATS headers that carry the current request id and, when tracing is on, the W3C trace context. */
export function outgoingHeaders(): MsgHdrs | undefined {
  const context = currentRequestContext();
  const tracing = tracingEnabled();
  if (!context && !tracing) {
    return undefined;
  }
  const headers = natsHeaders();
  if (context) {
    headers.set(REQUEST_ID_HEADER, context.requestId);
  }
  if (tracing) {
    injectTraceContext((name, value) => headers.set(name, value));
  }
  return headers;
}
