import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BusCredentials, spawnNatsServer, waitForNatsServer } from './local-nats-server';

/** A private NATS server itself: started, stopped (keeping port and store) and removed. */
export interface NatsServerHandle {
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The machine's nats-server binary on `port` with the shipped configuration and a throwaway
 * JetStream store; stop()/start() keep the port, the passwords and the store, so clients reconnect
 * to the same URL and find their streams. Shared by the tests' private servers
 * (test/support/nats-server.ts) and the chaos run, which restarts NATS as a fault.
 */
export async function startNatsProcess(
  port: number,
  credentials: BusCredentials | undefined,
): Promise<NatsServerHandle> {
  const storeDir = mkdtempSync(join(tmpdir(), 'bazaar-nats-'));
  let child: ChildProcess | undefined;

  // A suite that times out or crashes never reaches its afterAll: don't leave its server behind.
  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const start = async (): Promise<void> => {
    child = spawnNatsServer({ port, storeDir, credentials });
    await waitForNatsServer(child, port);
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
    start,
    stop,
    dispose: async () => {
      process.removeListener('exit', killOnExit);
      await stop('SIGKILL');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
