/**
 * The launcher's own voice on the terminal, and the colours it and the replica prefixes use.
 * Colour only on a terminal (or FORCE_COLOR), never when NO_COLOR is set: piped output must stay
 * parseable, and the BAZAAR_READY line in particular must be plain.
 */

const ESC = '\u001b[';

export const COLORS = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
  brightGreen: 92,
  brightYellow: 93,
  brightBlue: 94,
  brightMagenta: 95,
  brightCyan: 96,
} as const;
export type Color = keyof typeof COLORS;

/** Replica prefixes cycle through these; red stays reserved for errors. */
export const REPLICA_PALETTE: readonly Color[] = [
  'cyan',
  'magenta',
  'blue',
  'green',
  'brightYellow',
  'brightCyan',
  'brightMagenta',
  'brightBlue',
  'brightGreen',
];

function decideColor(): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') {
    return false;
  }
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') {
    return true;
  }
  return Boolean(process.stdout.isTTY);
}

export const colorEnabled = decideColor();

export function paint(color: Color, text: string, enabled = colorEnabled): string {
  return enabled ? `${ESC}${COLORS[color]}m${text}${ESC}0m` : text;
}

export function bold(text: string, enabled = colorEnabled): string {
  return enabled ? `${ESC}1m${text}${ESC}22m` : text;
}

const PREFIX = 'launcher';

function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Progress: one line, or several indented under the first. */
export function say(message: string): void {
  write(process.stdout, `${paint('gray', `[${PREFIX}]`)} ${message}`);
}

export function warn(message: string): void {
  write(process.stdout, `${paint('yellow', `[${PREFIX}] WARN`)} ${message}`);
}

/** Something is wrong and needs the developer: on stderr, in red, impossible to miss. */
export function shout(message: string): void {
  write(process.stderr, `${paint('red', bold(`[${PREFIX}] ✗`))} ${paint('red', message)}`);
}

/** Text printed as is (help, the ready summary, the machine-readable line). */
export function print(text: string): void {
  write(process.stdout, text);
}
