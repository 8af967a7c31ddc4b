import type { FastifyInstance } from 'fastify';
import { runWithRequestContext } from '@app/common/context';

/**
 * Runs each request inside its request context, so its log lines and the NATS headers of every
 * call it makes carry the request id (Fastify assigned it from `x-request-id`, or fresh).
 *
 * A Fastify hook rather than a Nest interceptor: a global interceptor wraps every request in an
 * rxjs pipeline, which was ~6 % of the gateway's CPU on an uncached read (bench --cpu-prof); the
 * hook costs one closure. Everything after onRequest runs within the context, a request with a
 * body too: Fastify parses the body inside an AsyncResource of the request (content-type-parser),
 * so the handler that runs from the body's `end` event keeps it (request-context-hooks.spec.ts).
 */
export function installRequestContextHooks(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    runWithRequestContext({ requestId: request.id }, done);
  });
}
