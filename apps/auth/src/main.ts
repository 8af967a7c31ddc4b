import 'reflect-metadata';
import { createServiceApp, exitGracefullyOnSignals, runProcess, startServiceApp } from '@app/common';
import { AuthEnv } from './config/auth.env';
import { AuthModule, AUTH_SERVICE } from './auth.module';

runProcess(AUTH_SERVICE, AuthEnv, async (config, logger) => {
  const service = await createServiceApp({ service: AUTH_SERVICE, config, module: AuthModule.forRoot(config), logger });
  exitGracefullyOnSignals(service.app, config.SHUTDOWN_GRACE_MS);
  await startServiceApp(service, config.OPS_PORT);
});
