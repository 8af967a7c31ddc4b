import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';

export interface PrivateNats {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const BINARIES = [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/local/bin/nats-server'];

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`nats-server exited with code ${child.exitCode} before listening`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    }).catch(() => false);
    if (open) {
      return;
    }
    await sleep(25);
  }
  throw new Error(`nats-server did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * A NATS server of the bench's own: Nest uses the pattern as the subject, so sharing the
 * machine's server with a developer's stack would let the two answer each other's requests.
 * JetStream is on (the outboxes publish to it) with a throwaway store directory.
 */
export async function startPrivateNats(): Promise<PrivateNats> {
  const binary = BINARIES.find((candidate): candidate is string => Boolean(candidate) && existsSync(candidate!));
  if (!binary) {
    throw new Error('The bench needs the nats-server binary (apt-get install nats-server), or NATS_SERVER_BIN');
  }
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'bazaar-bench-nats-'));
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
  // Whatever happens to the bench, its server must not outlive it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  await waitForPort(port, child);
  return {
    url: `nats://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
      }
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
