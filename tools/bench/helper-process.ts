import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { HELPER_MARKER } from './helper-protocol';

export interface RunningHelper<T> {
  pid: number;
  /** The JSON the helper printed after HELPER_MARKER. */
  info: T;
  stop(): Promise<void>;
}

/**
 * Runs a bench helper (floor server, NATS reference, argon2 rate) as its own node process:
 * a reference measured inside the load generator's process would share its event loop and
 * flatter nobody. `--import tsx` compiles the TypeScript at load; the running code is plain JS,
 * as the apps' compiled dist/ is.
 */
export async function startHelper<T>(
  rootDir: string,
  script: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<RunningHelper<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(rootDir, 'tools/bench', script)], {
    cwd: rootDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const errors: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => errors.push(line));
  const info = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not report within ${timeoutMs} ms`)), timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(`${HELPER_MARKER} `)) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(HELPER_MARKER.length + 1)) as T);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before reporting:\n${errors.slice(-20).join('\n')}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    process.removeListener('exit', killOnExit);
    throw error;
  });
  return {
    pid: child.pid ?? -1,
    info,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
      }
    },
  };
}
