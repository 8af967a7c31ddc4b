import { INestApplication, Logger } from '@nestjs/common';
import { ReadinessService } from '../ops/readiness.service';
import { shutdownTracing } from '../tracing/tracing';
import { exitWhileStarting } from './exit-while-starting';

/**
 * On SIGTERM/SIGINT: report not-ready, stop taking work, let in-flight work finish, drain NATS,
 * close the database pool (all through Nest's close hooks), and exit 0. A second signal or the
 * grace period running out forces the exit, so a stuck dependency can't keep a pod alive forever.
 */
export function exitGracefullyOnSignals(app: INestApplication, graceMs: number): void {
  const log = new Logger('Shutdown');
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      log.warn(`Second ${signal}: exiting now`);
      process.exit(1);
    }
    closing = true;
    log.log(`${signal} received: finishing in-flight work`);
    app.get(ReadinessService).markShuttingDown();
    const force = setTimeout(() => {
      log.error(`Shutdown took longer than ${graceMs + 5000} ms: exiting`);
      process.exit(1);
    }, graceMs + 5000);
    force.unref();
    app
      .close()
      .then(() => shutdownTracing())
      .then(() => {
        log.log('Shutdown complete');
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      });
  };
  process.removeListener('SIGTERM', exitWhileStarting);
  process.removeListener('SIGINT', exitWhileStarting);
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
