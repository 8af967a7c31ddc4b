import { INestApplication, Logger } from '@nestjs/common';
import { ReadinessService } from '../ops/readiness.service';
import { shutdownTracing } from '../tracing/tracing';

/**
 * A stop asked for before the app is up (migrations running, a database still out of reach):
 * exit at once, 0, since nothing is in flight yet and a half-run migration rolls back with its
 * connection. Without a handler, node running as a container's PID 1 ignores SIGTERM altogether,
 * and a replica stopped while it starts would wait out the whole grace period to be killed (the
 * compose test saw it: exit 137 after `docker stop -t 30`).
 */
function exitWhileStarting(signal: NodeJS.Signals): void {
  new Logger('Shutdown').log(`${signal} received while starting: exiting`);
  process.exit(0);
}

/** Called first thing by every process (runProcess), until exitGracefullyOnSignals takes over. */
export function exitPromptlyWhileStarting(): void {
  process.once('SIGTERM', exitWhileStarting);
  process.once('SIGINT', exitWhileStarting);
}

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
