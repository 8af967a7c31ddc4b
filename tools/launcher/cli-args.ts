/** The launcher's command-line vocabulary and how it is split: the grammar, apart from what each flag means. */

/** A mistake in the command line or environment: printed with a hint at --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const SWITCHES = [
  '--no-build',
  '--raw-logs',
  '--exit-on-crash',
  '--start-deps-in-docker',
  '--control-stdin',
  '--help',
  '-h',
] as const;
const VALUED = [
  '--scale',
  '--port',
  '--ops-port',
  '--nats-url',
  '--nats-port',
  '--state-dir',
  '--database-url',
  '--service-database-url',
  '--ready-timeout-ms',
  '--node-options',
] as const;
export type Switch = (typeof SWITCHES)[number];
export type Valued = (typeof VALUED)[number];

export interface RawArgs {
  switches: Set<Switch>;
  values: Map<Valued, string[]>;
}

export function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Accepts `--flag value` and `--flag=value`; unknown flags are errors, not silently ignored. */
export function splitArgs(argv: readonly string[]): RawArgs {
  const raw: RawArgs = { switches: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') ? splitOnce(argv[i], '=') : [argv[i], undefined];
    if ((SWITCHES as readonly string[]).includes(flag) && inline === undefined) {
      raw.switches.add(flag as Switch);
    } else if ((VALUED as readonly string[]).includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === '') {
        throw new UsageError(`${flag} needs a value`);
      }
      raw.values.set(flag as Valued, [...(raw.values.get(flag as Valued) ?? []), value]);
    } else if (flag === '--watch') {
      throw new UsageError('--watch is not supported: to work on one app, run `npx nest start <app> --watch`');
    } else {
      throw new UsageError(`Unknown option ${argv[i]}`);
    }
  }
  return raw;
}

/** The last value of a flag given more than once (a later flag overrides an earlier one). */
export function last(raw: RawArgs, flag: Valued): string | undefined {
  return raw.values.get(flag)?.at(-1);
}

export function integer(text: string, what: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`${what} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

export function port(text: string, what: string): number {
  return integer(text, what, 1, 65535);
}

/** Parses the `SERVICE=VALUE` arguments of a repeatable flag. */
export function perService(raw: RawArgs, flag: Valued): Array<[string, string]> {
  return (raw.values.get(flag) ?? []).map((pair) => {
    const [service, value] = splitOnce(pair, '=');
    if (value === undefined || value === '') {
      throw new UsageError(`${flag} takes SERVICE=VALUE, got ${JSON.stringify(pair)}`);
    }
    return [service, value];
  });
}
