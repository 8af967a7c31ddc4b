import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

type Done = (error: Error | null, body?: unknown) => void;

/**
 * Fastify's JSON parser (with its prototype-poisoning protection), except that every failure to
 * parse is the client's 400: a pathologically deep document makes JSON.parse throw a RangeError,
 * which would otherwise surface as a 500.
 */
export function useStrictJsonParser(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as (
    request: FastifyRequest,
    body: string,
    done: Done,
  ) => void;
  app.useBodyParser('application/json', { bodyLimit }, (request: FastifyRequest, body: Buffer, done: Done) => {
    const asClientError = (error: Error): Error => Object.assign(error, { statusCode: 400 });
    try {
      parseJson(request, body.toString('utf8'), (error, parsed) =>
        error ? done(asClientError(error)) : done(null, parsed),
      );
    } catch (error) {
      done(asClientError(error instanceof Error ? error : new Error(String(error))));
    }
  });
}
