import { Color, paint } from './terminal';

/**
 * Turns one JSON log line of a replica into something a person reads: `INFO  Context: message
 * (requestId=…)`, with fields the apps add for machines (time, service, replica) dropped because
 * the prefix already says who and the terminal says when. A line that isn't a JSON object (a
 * crash before the logger exists, a library writing to stdout) is passed through as is.
 */

const PINO_LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const LEVEL_COLORS: Record<string, Color> = {
  trace: 'gray',
  debug: 'gray',
  info: 'green',
  warn: 'yellow',
  error: 'red',
  fatal: 'red',
};
const SHOWN_ELSEWHERE = new Set([
  'level',
  'time',
  'service',
  'replica',
  'context',
  'msg',
  'requestId',
  'stack',
  'err',
  'pid',
  'hostname',
]);

type LogRecord = Record<string, unknown>;

export function parseLogRecord(line: string): LogRecord | undefined {
  if (!line.startsWith('{')) {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}

function levelOf(record: LogRecord): string {
  if (typeof record.level === 'number') {
    return PINO_LEVELS[record.level] ?? String(record.level);
  }
  return typeof record.level === 'string' ? record.level : 'info';
}

function indent(text: string): string[] {
  return text.split('\n').map((line) => `    ${line}`);
}

/** The error's stack (or name and message), from pino's `err` field or Nest's `stack` field. */
function errorLines(record: LogRecord): string[] {
  const err = record.err as { stack?: unknown; message?: unknown; type?: unknown } | undefined;
  if (err && typeof err === 'object') {
    if (typeof err.stack === 'string') {
      return indent(err.stack);
    }
    return indent(`${typeof err.type === 'string' ? err.type : 'Error'}: ${String(err.message)}`);
  }
  return typeof record.stack === 'string' ? indent(record.stack) : [];
}

/** Returns the lines to print after the replica's prefix: the message, then any stack. */
export function formatLogLine(line: string, color: boolean): string[] {
  const record = parseLogRecord(line);
  if (!record || (record.msg === undefined && record.level === undefined)) {
    return [line];
  }
  const level = levelOf(record);
  const label = paint(LEVEL_COLORS[level] ?? 'gray', level.toUpperCase().padEnd(5), color);
  const context = typeof record.context === 'string' ? paint('gray', `${record.context}: `, color) : '';
  const message = typeof record.msg === 'string' ? record.msg : JSON.stringify(record.msg ?? '');
  const extras = Object.fromEntries(Object.entries(record).filter(([key]) => !SHOWN_ELSEWHERE.has(key)));
  const extraText = Object.keys(extras).length > 0 ? ` ${paint('gray', JSON.stringify(extras), color)}` : '';
  const requestId =
    typeof record.requestId === 'string' ? paint('gray', ` (requestId=${record.requestId})`, color) : '';
  return [`${label} ${context}${message}${extraText}${requestId}`, ...errorLines(record)];
}

/**
 * The apps log every step of a graceful shutdown under the `Shutdown` context: seeing one tells the
 * launcher the replica already got the signal (Ctrl-C reaches the whole process group).
 */
export function announcesShutdown(line: string): boolean {
  return line.includes('"Shutdown"') && parseLogRecord(line)?.context === 'Shutdown';
}
