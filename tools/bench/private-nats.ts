import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BusCredentials, generateBusCredentials, spawnNatsServer, waitForNatsServer } from '../nats/local-nats-server';
import { freePort } from './free-port';

export interface PrivateNats {
  url: string;
  pid: number;
  /** Every identity's credentials; undefined for an open server. */
  credentials: BusCredentials | undefined;
  /** http://127.0.0.1:<port> of its monitoring endpoint, when asked for. */
  monitorUrl?: string;
  stop(): Promise<void>;
}

export interface PrivateNatsOptions {
  /**
   * false: no authorization, for the nats-roundtrip reference only, which measures raw NATS on
   * subjects of its own. Default true: the shipped configuration, as the stack runs in production.
   */
  authorization?: boolean;
  /** Serve the monitoring endpoint (/jsz, /varz) on a free port. */
  monitor?: boolean;
}

/**
 * A NATS server of the bench's own (tools/nats/local-nats-server.ts, the same configuration as
 * `npm start` and the tests): Nest uses the pattern as the subject, so sharing the machine's
 * server with a developer's stack would let the two answer each other's requests. JetStream is on
 * (the outboxes publish to it) with a throwaway store directory; every identity gets a fresh password.
 */
export async function startPrivateNats(options: PrivateNatsOptions = {}): Promise<PrivateNats> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'bazaar-bench-nats-'));
  const credentials = options.authorization === false ? undefined : generateBusCredentials();
  const monitorPort = options.monitor ? await freePort() : undefined;
  const child = spawnNatsServer({ port, storeDir, credentials, monitorPort });
  // Whatever happens to the bench, its server must not outlive it.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  await waitForNatsServer(child, port);
  return {
    url: `nats://127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    credentials,
    monitorUrl: monitorPort === undefined ? undefined : `http://127.0.0.1:${monitorPort}`,
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
