import { ChildProcess } from 'node:child_process';
import { ServiceName } from './services';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type ReplicaState = 'starting' | 'ready' | 'stopping' | 'exited';

/**
 * One running process of a service: a plain child for the backends, a cluster worker's process for
 * the gateway. Both are a ChildProcess underneath, so the supervisor treats them alike.
 */
export class Replica {
  state: ReplicaState = 'starting';
  /** Set when the replica logs its own shutdown, so it isn't signalled a second time. */
  shutdownAnnounced = false;
  /** Resolves once the process has exited and its output has been read to the end. */
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;

  constructor(
    readonly id: string,
    readonly service: ServiceName,
    readonly child: ChildProcess,
    /** The HTTP port its /health and /metrics answer on (the shared port, for the gateway). */
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (!this.exitInfo) {
          this.exitInfo = { code, signal };
          this.state = 'exited';
          resolve(this.exitInfo);
        }
      };
      // 'close' rather than 'exit': the last log lines (often the reason for a crash) come first.
      child.once('close', done);
      child.once('error', () => {
        if (child.pid === undefined) {
          done(null, null);
        }
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exitInfo === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) {
      // Straight to the process, also for cluster workers: Worker.kill() would first disconnect
      // the worker, closing its server before the app's own graceful shutdown gets to drain it.
      this.child.kill(signal);
    }
  }
}

/** `code 1`, `signal SIGKILL`: how an exit is worded in the launcher's messages. */
export function describeExit(exit: ExitInfo): string {
  if (exit.signal) {
    return `signal ${exit.signal}`;
  }
  return exit.code === null ? 'an unknown status' : `code ${exit.code}`;
}
