import { DynamicModule, INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ServiceEnv } from '../config/base.env';
import { RpcErrorFilter } from '../errors/rpc-exception.filter';
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
  // Deferred, so the global filter and pipe below are in place before the handlers are wired.
  const microservice = app.connectMicroservice({ strategy: nats }, { deferInitialization: true });
  microservice.useGlobalFilters(new RpcErrorFilter());
  microservice.useGlobalPipes(createValidationPipe());
  // The application already runs the modules' init and bootstrap hooks; without this, a deferred
  // microservice runs them a second time at listen() (two outbox relays, migrations twice).
  (microservice as INestMicroservice & { setIsInitHookCalled(called: boolean): void }).setIsInitHookCalled(true);
  app.get(ReadinessService).register('nats', () => nats.isConnected());
  return { app, nats };
}

export async function startServiceApp(serviceApp: ServiceApp, opsPort: number, host = '0.0.0.0'): Promise<void> {
  await serviceApp.app.listen(opsPort, host);
  await serviceApp.app.startAllMicroservices();
}
