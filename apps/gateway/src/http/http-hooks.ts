import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { BazaarMetrics } from '@app/common/ops';
import { DomainError } from '@app/common/errors';
import { REQUEST_ID_HEADER } from '@app/common/context';
import { sendProblem } from './problem.filter';
import { RateLimiter } from './rate-limiter';

/** Routes exempt from the general rate limit: probes and scrapes come from the platform. */
const UNLIMITED_PREFIXES = ['/health/', '/metrics'];

export interface HttpHookSettings {
  rateLimitRpm: number;
  metrics: BazaarMetrics;
}

/**
 * The gateway's per-request plumbing at the Fastify level, ahead of routing and body parsing:
 * echo the request id, apply the general rate limit and record metrics. (Errors Fastify raises
 * itself, such as malformed JSON or an oversized body, reach the ProblemFilter through Nest.)
 */
export function installHttpHooks(fastify: FastifyInstance, settings: HttpHookSettings): void {
  const log = new Logger('Http');
  const limiter = settings.rateLimitRpm > 0 ? new RateLimiter(settings.rateLimitRpm) : undefined;

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    if (limiter && !UNLIMITED_PREFIXES.some((prefix) => request.url.startsWith(prefix))) {
      const verdict = limiter.hit(request.ip);
      if (!verdict.allowed) {
        const error = new DomainError('rate-limited', 'Too many requests; slow down', {
          retryAfterSeconds: verdict.retryAfterSeconds,
        });
        sendProblem(reply, error, request.id, log);
        return;
      }
    }
    done();
  });

  // Connections busy when the server starts closing would otherwise stay open (keep-alive) after
  // their response and hold the shutdown until the grace period: ask the client to hang up.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) {
      void reply.header('connection', 'close');
    }
    done(null, payload);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    settings.metrics.httpRequests.inc(labels);
    settings.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
