import { BaseEnv } from '../config/base.env';
import { createPinoLogger } from '../logging/create-logger';
import { JsonLogger } from '../logging/json-logger';

export function processLogger(service: string, config: BaseEnv, destination?: NodeJS.WritableStream): JsonLogger {
  return new JsonLogger(
    createPinoLogger({
      service,
      replica: config.REPLICA_ID,
      level: config.LOG_LEVEL,
      format: config.LOG_FORMAT,
      destination,
    }),
  );
}
