import { LoggerService, LogLevel } from '@nestjs/common';
import { Logger as PinoLogger } from 'pino';

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

const NEST_TO_PINO = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
} as const satisfies Record<LogLevel, PinoLevel>;

/**
 * Adapts Nest's LoggerService to pino, so `new Logger(X.name)` anywhere writes the same JSON lines.
 * Nest passes the context (class name) as the last string argument and, for errors, a stack before it.
 */
export class JsonLogger implements LoggerService {
  constructor(private readonly pino: PinoLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Whether a line at Nest's `level` would be written (see isLogLevelEnabled). */
  isLevelEnabled(level: LogLevel): boolean {
    return this.pino.isLevelEnabled(NEST_TO_PINO[level]);
  }

  private write(level: PinoLevel, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) {
      return;
    }
    const rest = [...params];
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    const stack = rest.find((p): p is string => typeof p === 'string' && p.includes('\n    at '));
    if (stack) {
      fields.stack = stack;
    }
    const extra = rest.find((p): p is Record<string, unknown> => typeof p === 'object' && p !== null);
    const text = rest.find((p): p is string => typeof p === 'string' && p !== stack);
    if (message instanceof Error) {
      this.pino[level]({ ...fields, ...extra, err: message }, text ?? message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...extra, ...(message as Record<string, unknown>) }, text);
    } else {
      this.pino[level]({ ...fields, ...extra }, String(message));
    }
  }
}
