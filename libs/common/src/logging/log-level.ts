import { Logger, LogLevel as NestLogLevel } from '@nestjs/common';
import { JsonLogger } from './json-logger';

/** Reads the logger Nest's `Logger` instances write to (a protected static of Logger). */
class ProcessLoggerRef extends Logger {
  static current(): unknown {
    return Logger.staticInstanceRef;
  }
}

/**
 * Whether a line at `level` would be written: lets a hot path skip building the fields of a line
 * (objects, rounding) that the process's level would drop anyway. Exact for our JsonLogger;
 * otherwise Nest's own answer (true for a custom logger without explicit levels).
 */
export function isLogLevelEnabled(level: NestLogLevel): boolean {
  const current = ProcessLoggerRef.current();
  return current instanceof JsonLogger ? current.isLevelEnabled(level) : Logger.isLevelEnabled(level);
}
