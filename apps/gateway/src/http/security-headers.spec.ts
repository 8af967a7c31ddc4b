import helmet from '@fastify/helmet';
import Fastify, { FastifyInstance } from 'fastify';
import { HELMET_OPTIONS, useSecurityHeaders } from './security-headers';

async function appWith(install: (fastify: FastifyInstance) => Promise<void>): Promise<FastifyInstance> {
  const fastify = Fastify({ logger: false });
  await install(fastify);
  fastify.get('/ok', () => ({ ok: true }));
  fastify.get('/fails', () => {
    throw new Error('boom');
  });
  await fastify.ready();
  return fastify;
}

async function headersFor(fastify: FastifyInstance, url: string): Promise<Record<string, unknown>> {
  const { headers } = await fastify.inject({ method: 'GET', url });
  const { date: _date, ...rest } = headers;
  return rest;
}

describe(useSecurityHeaders.name, () => {
  let plugin: FastifyInstance;
  let sut: FastifyInstance;

  beforeAll(async () => {
    plugin = await appWith(async (fastify) => {
      await fastify.register(helmet, HELMET_OPTIONS);
    });
    sut = await appWith((fastify) => useSecurityHeaders(fastify));
  });

  afterAll(async () => {
    await Promise.all([plugin.close(), sut.close()]);
  });

  it.each(['/ok', '/fails', '/missing'])('sends exactly the headers of @fastify/helmet on %s', async (url) => {
    const expected = await headersFor(plugin, url);

    expect(await headersFor(sut, url)).toEqual(expected);
    expect(expected['content-security-policy']).toContain("default-src 'self'");
    expect(expected['strict-transport-security']).toBeDefined();
  });
});
