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
