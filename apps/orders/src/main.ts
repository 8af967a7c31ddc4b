import 'reflect-metadata';
import { createServiceApp, exitGracefullyOnSignals, runProcess, startServiceApp } from '@app/common';
import { OrdersEnv } from './config/orders.env';
import { OrdersModule, ORDERS_SERVICE } from './orders.module';

runProcess(ORDERS_SERVICE, OrdersEnv, async (config, logger) => {
  const service = await createServiceApp({
    service: ORDERS_SERVICE,
    config,
    module: OrdersModule.forRoot(config),
    logger,
  });
  exitGracefullyOnSignals(service.app, config.SHUTDOWN_GRACE_MS);
  await startServiceApp(service, config.OPS_PORT);
});
