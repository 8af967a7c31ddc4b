import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { READY_MARKER, ReadyPayload } from '../launcher/ready-report';
import { isAlive } from './process-memory';

export interface RunningLauncher {
  ready: ReadyPayload;
  /** Launcher (tsx wrapper), its node process and every replica: what `stop` must leave dead. */
  pids(): number[];
  /** Resolves with the exit if the launcher ends on its own (a crash during the run). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Writes one command line to the launcher's stdin (needs `control`; see tools/launcher/control.ts). */
  send(command: string): void;
  stop(): Promise<void>;
}

/** For a caller that drives the launcher (`--control-stdin`): its stdin, and every output line. */
export interface LauncherControl {
  onLine(line: string): void;
}

/** The launcher drains replicas for SHUTDOWN_GRACE_MS (10 s) and kills 7 s later; then we do. */
const STOP_BOUND_MS = 25_000;
const TAIL_LINES = 60;

/**
 * Starts the stack exactly as `npm start` does (build when stale, databases, migration-safe start
 * order, verification), so the bench measures what developers and the e2e tests run. Its output
 * goes to `logFile`, not the terminal: the bench's own table stays readable, and the file is
 * there when a replica misbehaves.
 */
export async function startLauncher(
  rootDir: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  readyTimeoutMs = 240_000,
  control?: LauncherControl,
): Promise<RunningLauncher> {
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(join(rootDir, 'node_modules/.bin/tsx'), ['tools/launcher/main.ts', ...args], {
    cwd: rootDir,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: [control ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let replicaPids: number[] = [];
  // If the bench itself dies, the replicas (plain children of the launcher) must not survive it.
  const killOnExit = (): void => {
    [...replicaPids, child.pid ?? -1]
      .filter((pid) => pid > 0 && isAlive(pid))
      .forEach((pid) => process.kill(pid, 'SIGKILL'));
  };
  process.once('exit', killOnExit);

  const ready = await new Promise<ReadyPayload>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The launcher was not ready within ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        log.write(`${line}\n`);
        control?.onLine(line);
        tail.push(line);
        tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
        if (line.startsWith(`${READY_MARKER} `)) {
          clearTimeout(timer);
          resolve(JSON.parse(line.slice(READY_MARKER.length + 1)) as ReadyPayload);
        }
      });
    }
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`The launcher exited (${code ?? signal}) before it was ready; log ${logFile}:\n${tail.join('\n')}`),
      );
    });
  }).catch(async (error: unknown) => {
    // A launcher still starting stops what it started on SIGTERM (tsx relays it); a hung one is killed.
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(STOP_BOUND_MS)]);
    child.kill('SIGKILL');
    process.removeListener('exit', killOnExit);
    log.end();
    throw error;
  });
  // The launcher's own node process (tsx runs it as a child) is the gateway workers' cluster primary.
  replicaPids = [ready.launcherPid, ...ready.replicas.map((replica) => replica.pid)];

  const pids = (): number[] => [child.pid ?? -1, ...replicaPids].filter((pid) => pid > 0);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(STOP_BOUND_MS)]);
    }
    const left = pids().filter(isAlive);
    if (left.length > 0) {
      left.forEach((pid) => process.kill(pid, 'SIGKILL'));
      await sleep(200);
    }
    process.removeListener('exit', killOnExit);
    log.end();
  };
  const send = (command: string): void => {
    child.stdin?.write(`${command}\n`);
  };
  return { ready, pids, exited, send, stop };
}
