import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { announcesShutdown, formatLogLine } from './log-format';
import { Replica } from './replica';
import { colorEnabled, paint, REPLICA_PALETTE } from './terminal';

export interface OutputSettings {
  /** Print the JSON lines untouched (still prefixed), for piping into jq or pino-pretty. */
  raw: boolean;
  /** Width the `[id]` prefixes are padded to, so the messages line up. */
  prefixWidth: number;
}

let nextColor = 0;

/**
 * Prefixes and formats every line a replica writes, one colour per replica. Lines go to the
 * launcher's stdout whole (readline splits on newlines), so replicas never interleave mid-line.
 */
export function pipeReplicaOutput(replica: Replica, settings: OutputSettings): void {
  const color = REPLICA_PALETTE[nextColor++ % REPLICA_PALETTE.length];
  const prefix = paint(color, `[${replica.id}]`.padEnd(settings.prefixWidth + 2));
  const follow = (stream: Readable | null): void => {
    if (!stream) {
      return;
    }
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (announcesShutdown(line)) {
        replica.shutdownAnnounced = true;
      }
      const body = settings.raw ? [line] : formatLogLine(line, colorEnabled);
      process.stdout.write(body.map((text) => `${prefix} ${text}\n`).join(''));
    });
  };
  follow(replica.child.stdout);
  follow(replica.child.stderr);
}
