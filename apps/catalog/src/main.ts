import 'reflect-metadata';
import { createServiceApp, exitGracefullyOnSignals, runProcess, startServiceApp } from '@app/common';
import { CatalogEnv } from './config/catalog.env';
import { CatalogModule, CATALOG_SERVICE } from './catalog.module';

runProcess(CATALOG_SERVICE, CatalogEnv, async (config, logger) => {
  const service = await createServiceApp({
    service: CATALOG_SERVICE,
    config,
    module: CatalogModule.forRoot(config),
    logger,
  });
  exitGracefullyOnSignals(service.app, config.SHUTDOWN_GRACE_MS);
  await startServiceApp(service, config.OPS_PORT);
});
