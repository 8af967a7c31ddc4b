import { DynamicModule, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BazaarNatsServer } from '@app/common/messaging';
import { createServiceApp, processLogger, startServiceApp } from '@app/common/bootstrap';
import { ServiceEnv, validateEnv } from '@app/common/config';
import { GatewayEnv } from '../../apps/gateway/src/config/gateway.env';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app';
import { LogCapture } from './log-capture';

export interface InProcessService {
  app: NestFastifyApplication;
  nats: BazaarNatsServer;
  logs: LogCapture;
  opsUrl: string;
  close(): Promise<void>;
}

/**
 * Starts one replica of a service inside the test process, configured only from `env` (never the
 * test runner's own environment), on a random ops port. Two calls make two replicas.
 */
export async function startServiceInProcess<T extends ServiceEnv>(options: {
  service: string;
  envClass: new () => T;
  module: (config: T) => DynamicModule;
  env: Record<string, string>;
}): Promise<InProcessService> {
  const config = validateEnv(options.envClass, { OPS_PORT: '0', SHUTDOWN_GRACE_MS: '5000', ...options.env });
  const logs = new LogCapture();
  const serviceApp = await createServiceApp({
    service: options.service,
    config,
    module: options.module(config),
    logger: processLogger(options.service, config, logs),
  });
  await startServiceApp(serviceApp, 0, '127.0.0.1');
  const opsUrl = (await serviceApp.app.getUrl()).replace('[::1]', '127.0.0.1');
  return { ...serviceApp, logs, opsUrl, close: () => serviceApp.app.close() };
}

export interface InProcessGateway {
  app: NestFastifyApplication;
  logs: LogCapture;
  url: string;
  close(): Promise<void>;
}

export async function startGatewayInProcess(
  env: Record<string, string>,
  extraModules: Array<Type | DynamicModule> = [],
): Promise<InProcessGateway> {
  const config = validateEnv(GatewayEnv, { PORT: '0', HOST: '127.0.0.1', ...env });
  const logs = new LogCapture();
  const app = await createGatewayApp(config, {
    logger: processLogger('gateway', config, logs),
    extraModules,
  });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return { app, logs, url, close: () => app.close() };
}
