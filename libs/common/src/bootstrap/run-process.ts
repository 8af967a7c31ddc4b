import { LoggerService } from '@nestjs/common';
import { BaseEnv } from '../config/base.env';
import { ConfigValidationError, validateEnv } from '../config/validate-env';
import { initTracing } from '../tracing/tracing';
import { processLogger } from './process-logger';

/**
 * The body of every main.ts: validate the environment (listing every bad variable and refusing
 * to start), build the process logger, then start. A failed start is logged and exits 1.
 */
export function runProcess<T extends BaseEnv>(
  service: string,
  envClass: new () => T,
  start: (config: T, logger: LoggerService) => Promise<void>,
): void {
  let config: T;
  try {
    config = validateEnv(envClass, process.env);
  } catch (error) {
    const logger = processLogger(service, new BaseEnv());
    const problems = error instanceof ConfigValidationError ? error.problems : [String(error)];
    logger.fatal({ problems }, `Refusing to start: invalid configuration (${problems.join('; ')})`, 'Config');
    process.exit(1);
  }
  const logger = processLogger(service, config);
  initTracing(service, { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT })
    .then(() => start(config, logger))
    .catch((error: unknown) => {
      logger.fatal(error instanceof Error ? error : { err: error }, 'Start-up failed', 'Bootstrap');
      process.exit(1);
    });
}
