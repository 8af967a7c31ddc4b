import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Routes whose answers carry tokens or personal data whoever asks: the auth routes (tokens, the
 * user) and the order routes. Their errors are marked too, so that no answer of these routes
 * (a 401, a 404 that says an order exists or not) is ever kept by a browser or a shared cache.
 */
const PRIVATE_PATH = /^\/v1\/(auth|orders)(\/|\?|$)/;

/**
 * Whether an answer must never be stored: the request carried credentials, or it went to a private
 * route. The matched route is judged as well as the raw URL, so that a path that Fastify decodes to
 * a private route (`/v1/%61uth/login`) is marked as the route it reached.
 */
export function isPrivateAnswer(request: FastifyRequest): boolean {
  return (
    request.headers.authorization !== undefined ||
    PRIVATE_PATH.test(request.url) ||
    PRIVATE_PATH.test(request.routeOptions.url ?? '')
  );
}

/**
 * `Cache-Control: no-store` on every private answer (OWASP API security: authenticated answers and
 * tokens must not be cached), set as the response leaves, so neither a route's own header nor an
 * answer sent early by a hook (rate limit, CORS preflight) or by the problem filter escapes it.
 * Public answers keep whatever caching headers their route set.
 */
export function useNoStoreOnPrivateAnswers(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (isPrivateAnswer(request)) {
      void reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}
