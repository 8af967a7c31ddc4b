import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { Replica } from './replica';
import { replicaPayload } from './ready-report';
import { isServiceName, ServiceName } from './services';
import { print } from './terminal';

/**
 * `--control-stdin`: once the system is up, the launcher takes commands on stdin, one per line, so
 * a program driving it (the chaos tool) can act as an orchestrator would. The launcher never
 * restarts a replica by itself; this is how one is replaced, or surged for a rolling restart:
 *
 *   spawn SERVICE   start one more replica of SERVICE (next index, the same environment as the
 *                   others; gateway workers join the shared port), wait until it is ready, then print
 *                   `BAZAAR_SPAWNED {json}` (a ReadyReplica). On failure: `BAZAAR_CONTROL_ERROR {json}`.
 *
 * Stopping a replica needs no command: signal its PID (from BAZAAR_READY or BAZAAR_SPAWNED).
 */

export const SPAWNED_MARKER = 'BAZAAR_SPAWNED';
export const CONTROL_ERROR_MARKER = 'BAZAAR_CONTROL_ERROR';

export type ControlCommand = { kind: 'spawn'; service: ServiceName };

/** One line of input → a command, or the reason it isn't one. Blank lines are ignored (undefined). */
export function parseControlCommand(line: string): ControlCommand | { error: string } | undefined {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return undefined;
  }
  const [verb, service, ...rest] = words;
  if (verb !== 'spawn') {
    return { error: `Unknown command ${JSON.stringify(verb)} (the only one is: spawn SERVICE)` };
  }
  if (service === undefined || rest.length > 0 || !isServiceName(service)) {
    return {
      error: `spawn takes one of gateway, auth, catalog, orders; got ${JSON.stringify(words.slice(1).join(' '))}`,
    };
  }
  return { kind: 'spawn', service };
}

export interface ControlTarget {
  addReplica(service: ServiceName): Promise<Replica>;
}

/** Reads commands from `input` until it ends; each is carried out concurrently with the others. */
export function listenForControl(input: Readable, target: ControlTarget): void {
  createInterface({ input, crlfDelay: Infinity }).on('line', (line) => {
    const command = parseControlCommand(line);
    if (command === undefined) {
      return;
    }
    if ('error' in command) {
      print(`${CONTROL_ERROR_MARKER} ${JSON.stringify({ command: line.trim(), error: command.error })}`);
      return;
    }
    target.addReplica(command.service).then(
      (replica) => print(`${SPAWNED_MARKER} ${JSON.stringify(replicaPayload(replica))}`),
      (error: unknown) =>
        print(
          `${CONTROL_ERROR_MARKER} ${JSON.stringify({
            command: line.trim(),
            error: error instanceof Error ? error.message : String(error),
          })}`,
        ),
    );
  });
}
