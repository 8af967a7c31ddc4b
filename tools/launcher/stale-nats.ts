import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NatsStateFiles } from './nats-credentials';

/**
 * The own nats-server runs in a process group of its own, so a launcher killed with SIGKILL leaves
 * it running, holding the port and the JetStream store. The next launcher finds its pid file and
 * stops it, but only when that pid is really a nats-server on this state directory's store (pids
 * are reused) and no live launcher is its parent (two launchers sharing a state directory).
 */

const POLL_MS = 50;

function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

function parentPid(pid: number): number | undefined {
  try {
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function isOurNatsServer(pid: number, files: NatsStateFiles): boolean {
  const args = commandLine(pid);
  return args !== undefined && basename(args[0] ?? '') === 'nats-server' && args.includes(files.jetstream);
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM (JetStream flushes its store), then SIGKILL once `boundMs` has passed. For processes that aren't our children. */
export async function terminate(pid: number, boundMs: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  for (const [signal, bound] of [
    ['SIGKILL', boundMs],
    [undefined, 2000],
  ] as const) {
    const deadline = Date.now() + bound;
    while (isRunning(pid) && Date.now() < deadline) {
      await sleep(POLL_MS);
    }
    if (!isRunning(pid)) {
      return;
    }
    if (signal) {
      process.kill(pid, signal);
    }
  }
  throw new Error(`nats-server (pid ${pid}) survived SIGKILL`);
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Stops a nats-server a SIGKILLed launcher left behind; refuses when a live launcher still owns it. */
export async function stopStaleNatsServer(
  files: NatsStateFiles,
  boundMs: number,
  say: (message: string) => void,
): Promise<void> {
  const pid = readPid(files.pid);
  if (pid !== undefined && isOurNatsServer(pid, files)) {
    const parent = parentPid(pid);
    if (parent !== undefined && commandLine(parent)?.some((arg) => arg.endsWith('tools/launcher/main.ts'))) {
      throw new Error(
        `Another launcher (pid ${parent}) is running on this state directory with its nats-server (pid ${pid}): ` +
          'stop it first, or give this one a state directory of its own (--state-dir or LAUNCHER_STATE_DIR)',
      );
    }
    say(`nats: stopping nats-server pid ${pid}, left running by a launcher that was killed (${files.pid})`);
    await terminate(pid, boundMs);
  }
  rmSync(files.pid, { force: true });
}
