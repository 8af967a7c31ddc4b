import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { READY_MARKER, ReadyPayload } from '../../tools/launcher/ready-report';

/** `npm start` as a developer (or a tool) runs it: the real launcher process, its output kept. */

const ROOT_DIR = join(__dirname, '..', '..');

export interface LauncherExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningLauncher {
  child: ChildProcess;
  output: string[];
  ready: Promise<ReadyPayload>;
  exited: Promise<LauncherExit>;
}

export function startLauncher(args: string[], env: Record<string, string>): RunningLauncher {
  const child = spawn(join(ROOT_DIR, 'node_modules/.bin/tsx'), ['tools/launcher/main.ts', ...args], {
    cwd: ROOT_DIR,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<LauncherExit>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<ReadyPayload>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        if (line.startsWith(`${READY_MARKER} `)) {
          resolve(JSON.parse(line.slice(READY_MARKER.length + 1)) as ReadyPayload);
        }
      });
    }
    void exited.then(({ code, signal }) =>
      reject(
        new Error(`The launcher exited (${code ?? signal}) before it was ready:\n${output.slice(-40).join('\n')}`),
      ),
    );
  });
  return { child, output, ready, exited };
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Whatever a suite's assertions did, leave nothing behind: the launcher, then every process it
 * reported (replicas, its own nats-server), by pid.
 */
export async function killLauncherAndChildren(
  launcher: RunningLauncher | undefined,
  ready?: ReadyPayload,
): Promise<void> {
  if (launcher && launcher.child.exitCode === null && launcher.child.signalCode === null) {
    launcher.child.kill('SIGKILL');
    await launcher.exited;
  }
  const pids = [
    ...(ready?.replicas.map((replica) => replica.pid) ?? []),
    ...(ready?.natsServer ? [ready.natsServer.pid] : []),
  ];
  pids.filter(isRunning).forEach((pid) => process.kill(pid, 'SIGKILL'));
}

/** Another process's environment, as the kernel holds it (same user only): what a replica was really given. */
export function environmentOf(pid: number): Record<string, string> {
  const text = readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(
    text
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}
