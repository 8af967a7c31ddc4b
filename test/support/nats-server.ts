import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/**
 * A private NATS server (with JetStream) for one suite: Nest uses the pattern as the subject, so
 * two suites, or a running dev stack, sharing a server would answer each other's requests.
 * stop()/start() keep the port and the JetStream store, to test outages and recovery.
 */
export interface PrivateNats {
  url: string;
  port: number;
  /** SIGKILL by default (a crash); SIGTERM is an orderly stop, which flushes the JetStream store first. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

function natsServerBinary(): string {
  const candidates = [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/local/bin/nats-server'];
  const found = candidates.find((candidate): candidate is string => Boolean(candidate) && existsSync(candidate!));
  if (found) {
    return found;
  }
  const which = spawnSync('which', ['nats-server'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) {
    return which.stdout.trim();
  }
  throw new Error('Tests need the nats-server binary (apt-get install nats-server), or NATS_SERVER_BIN');
}

function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) {
          reject(new Error(`nats-server did not listen on ${port}`));
        } else {
          setTimeout(attempt, 25);
        }
      });
    };
    attempt();
  });
}

export async function startPrivateNats(): Promise<PrivateNats> {
  const binary = natsServerBinary();
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'bazaar-nats-'));
  let child: ChildProcess | undefined;

  // A suite that times out or crashes never reaches its afterAll: don't leave its server behind.
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const start = async (): Promise<void> => {
    child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
    await waitForPort(port);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) {
      return;
    }
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    stop,
    dispose: async () => {
      process.removeListener('exit', killOnExit);
      await stop('SIGKILL');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
