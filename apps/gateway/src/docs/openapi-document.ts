import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import { validateEnv } from '@app/common/config';
import { GatewayEnv } from '../config/gateway.env';
import { GatewayModule } from '../gateway.module';
import { createOpenApiDocument } from './openapi';

/**
 * The OpenAPI document the gateway serves, built without a running system: Nest's preview mode
 * resolves the module graph and the routes' metadata but instantiates no provider, so nothing
 * connects to NATS or Postgres. The default configuration is used: the document depends on no
 * setting (DOCS_ENABLED only decides whether it is served).
 */
export async function buildGatewayOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(GatewayModule.forRoot(validateEnv(GatewayEnv, {})), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
