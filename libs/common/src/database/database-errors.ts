/**
 * SQLSTATE classes and codes that mean "the database can't serve us right now" rather than "this
 * statement is wrong": connection exceptions (08), shutdowns (57P0x), too many connections, a
 * statement cancelled by its timeout, a serialization or deadlock retry.
 */
const UNAVAILABLE_CODES = new Set(['53300', '57014', '57P01', '57P02', '57P03', '40001', '40P01']);

/** What node-postgres and its pool throw when no connection can be had or one breaks. */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

/** True when `error` (as TypeORM or pg raise it) says the database is unreachable or overloaded. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const { code, message, driverError, cause } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_CODES.has(code))) {
      return true;
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) {
      return true;
    }
    current = driverError ?? cause;
  }
  return false;
}
