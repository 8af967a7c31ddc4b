import { hostname } from 'node:os';
import pino, { Logger as PinoLogger, LoggerOptions } from 'pino';
import { currentRequestId } from '../context/request-context';

export type LogFormat = 'json' | 'pretty';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface LoggerSettings {
  service: string;
  replica?: string;
  level: LogLevel;
  format: LogFormat;
  /** Where lines go; stdout unless a test captures them. */
  destination?: NodeJS.WritableStream;
}

export function defaultReplicaId(): string {
  return process.env.REPLICA_ID ?? `${hostname()}-${process.pid}`;
}

/**
 * One pino logger per process. Every line carries service, replica and, inside a request, its id
 * (through the mixin, so no call site has to pass it).
 */
export function createPinoLogger(settings: LoggerSettings): PinoLogger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: settings.service, replica: settings.replica ?? defaultReplicaId() },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
    redact: {
      paths: ['password', '*.password', 'refreshToken', '*.refreshToken', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  };
  if (settings.destination) {
    return pino(options, settings.destination as pino.DestinationStream);
  }
  if (settings.format === 'pretty') {
    // pino-pretty is a development dependency: production images only ever log JSON.
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true } } });
  }
  return pino(options);
}
