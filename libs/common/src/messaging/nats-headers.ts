import { headers as natsHeaders, MsgHdrs } from '@nats-io/transport-node';
import { currentRequestContext, REQUEST_ID_HEADER, TRACEPARENT_HEADER } from '../context/request-context';

/** NATS headers that carry the current request id and trace context to the next hop. */
export function outgoingHeaders(): MsgHdrs | undefined {
  const context = currentRequestContext();
  if (!context) {
    return undefined;
  }
  const headers = natsHeaders();
  headers.set(REQUEST_ID_HEADER, context.requestId);
  if (context.traceparent) {
    headers.set(TRACEPARENT_HEADER, context.traceparent);
  }
  return headers;
}
