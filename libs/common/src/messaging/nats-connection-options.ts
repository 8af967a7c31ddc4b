import { NodeConnectionOptions } from '@nats-io/transport-node';

/**
 * Connection settings shared by every NATS connection in Bazaar: never give up reconnecting
 * (a connection that gives up never resubscribes, and the replica silently goes deaf), with a
 * jittered wait so a restarted NATS isn't hit by every replica at once.
 *
 * `noAsyncTraces`: without it nats.js builds two errors with captured stacks for every request
 * (a RequestError and a TimeoutError made in advance, in case the request fails), ~8 % of the
 * gateway's CPU. Failures keep their types (TimeoutError, RequestError with a NoRespondersError
 * cause), so classifyRpcFailure maps them as before; only their stacks no longer show the caller.
 */
export function natsConnectionOptions(natsUrl: string, name: string): NodeConnectionOptions {
  return {
    servers: natsUrl.split(','),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    waitOnFirstConnect: true,
    pingInterval: 10_000,
    maxPingOut: 3,
    noAsyncTraces: true,
  };
}
