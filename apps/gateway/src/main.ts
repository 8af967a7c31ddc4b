// First: a stop during start-up must exit at once (see the module).
import '@app/common/bootstrap/exit-while-starting';
import 'reflect-metadata';
import { exitGracefullyOnSignals, runProcess } from '@app/common/bootstrap';
import { GatewayEnv } from './config/gateway.env';
import { createGatewayApp } from './gateway.app';
import { GATEWAY_SERVICE } from './gateway.module';

runProcess(GATEWAY_SERVICE, GatewayEnv, async (config, logger) => {
  const app = await createGatewayApp(config, { logger });
  exitGracefullyOnSignals(app, config.SHUTDOWN_GRACE_MS);
  await app.listen(config.PORT, config.HOST);
});
