import { Writable } from 'node:stream';

/** Collects a logger's JSON lines in memory, for asserting on what a process logged. */
export class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim()) {
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.lines.push({ raw: line });
        }
      }
    }
    callback();
  }

  text(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }
}

/**
 * Log lines that report a Postgres deadlock (40P01). Callers see one only as service-unavailable,
 * which race tests retry like any shed load: a test that retries must look here, or deadlocks hide.
 */
export function deadlocksIn(lines: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return lines.filter((line) => /40P01|deadlock detected/.test(JSON.stringify(line)));
}
