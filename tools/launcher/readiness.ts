import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, Replica } from './replica';

const POLL_MS = 200;
const REQUEST_TIMEOUT_MS = 2000;

export interface WaitSettings {
  timeoutMs: number;
  /** Aborted when the launcher is asked to stop: waiting is pointless then. */
  signal: AbortSignal;
}

/** GET the URL once: its status, or the reason nothing answered. */
export async function httpStatus(url: string): Promise<number | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).message;
  }
}

/**
 * Polls the replica's /health/ready until it answers 200 (database and NATS reachable, migrations
 * done, since the ops server only listens after the app initialised). Fails fast when the replica
 * exits, instead of waiting out the timeout on a dead process.
 */
export async function waitUntilReady(replica: Replica, settings: WaitSettings): Promise<void> {
  const url = `http://127.0.0.1:${replica.port}/health/ready`;
  const deadline = Date.now() + settings.timeoutMs;
  let last: number | string = 'no answer yet';
  while (Date.now() < deadline) {
    settings.signal.throwIfAborted();
    if (!replica.alive) {
      throw new Error(`${replica.id} exited with ${describeExit(await replica.exited)} before it was ready`);
    }
    last = await httpStatus(url);
    if (last === 200) {
      return;
    }
    await sleep(POLL_MS, undefined, { signal: settings.signal });
  }
  throw new Error(`${replica.id} was not ready after ${settings.timeoutMs} ms (${url}: ${last})`);
}
