import { DynamicModule, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ServiceEnv } from '../config/base.env';
import { ServiceExceptionFilter } from '../errors/service-exception.filter';
import { createValidationPipe } from '../errors/validation';
import { BazaarNatsServer } from '../messaging/bazaar-nats.server';
import { busConnectionFrom } from '../messaging/nats-connection-options';
import { processMetrics } from '../ops/metrics';
import { ReadinessService } from '../ops/readiness.service';

export interface ServiceAppOptions {
  service: string;
  config: ServiceEnv;
  module: DynamicModule;
  logger: LoggerService;
}

export interface ServiceApp {
  app: NestFastifyApplication;
  nats: BazaarNatsServer;
}

/**
 * A NATS service: its handlers listen on the service's queue group; a small HTTP server on
 * OPS_PORT serves /health and /metrics. The ops port listens first, so the process is live (and
 * visibly not ready) while it waits for NATS.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const { service, config } = options;
  const app = await NestFactory.create<NestFastifyApplication>(options.module, new FastifyAdapter(), {
    logger: options.logger,
    abortOnError: false,
  });
  const nats = new BazaarNatsServer({
    bus: busConnectionFrom(config, service),
    service,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    metrics: processMetrics(service),
  });
  // Before connecting: the transport inherits the application's global filter and pipe, and Nest
  // wires its handlers (their filters and pipes included) as soon as it is connected. The filter
  // sends NATS errors down the RPC path and leaves the ops HTTP routes Nest's default handling.
  app.useGlobalFilters(new ServiceExceptionFilter(app.getHttpAdapter()));
  app.useGlobalPipes(createValidationPipe());
  app.connectMicroservice({ strategy: nats }, { inheritAppConfig: true });
  app.get(ReadinessService).register('nats', () => nats.isConnected());
  return { app, nats };
}

export async function startServiceApp(serviceApp: ServiceApp, opsPort: number, host = '0.0.0.0'): Promise<void> {
  await serviceApp.app.listen(opsPort, host);
  await serviceApp.app.startAllMicroservices();
}
