import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ReadyReplica } from '../launcher/ready-report';

export type ServiceName = 'gateway' | 'auth' | 'catalog' | 'orders';
export const SERVICES: readonly ServiceName[] = ['gateway', 'auth', 'catalog', 'orders'];

/** True while the process exists and is not a zombie (a zombie has exited; its parent just hasn't reaped it). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the parenthesised command (which may itself contain spaces or parentheses).
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves true once `pid` has exited, false if it is still running after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) {
      return false;
    }
    await sleep(50);
  }
  return true;
}

/**
 * The replicas of the stack as the chaos run knows them: those the launcher reported (BAZAAR_READY,
 * BAZAAR_SPAWNED), minus those the run stopped. Every pid ever seen is kept for the final clean-up.
 */
export class ReplicaSet {
  private readonly live = new Map<string, ReadyReplica>();
  private readonly seen = new Set<number>();

  constructor() {
    // Replacements are the launcher's children and outlive it if it is SIGKILLed with the run.
    process.once('exit', () =>
      this.everPids()
        .filter(isRunning)
        .forEach((pid) => process.kill(pid, 'SIGKILL')),
    );
  }

  add(replica: ReadyReplica): void {
    this.live.set(replica.id, replica);
    this.seen.add(replica.pid);
  }

  forget(replica: ReadyReplica): void {
    this.live.delete(replica.id);
  }

  of(service: ServiceName): ReadyReplica[] {
    return [...this.live.values()].filter((replica) => replica.service === service);
  }

  all(): ReadyReplica[] {
    return [...this.live.values()];
  }

  /** Replicas the run believes alive whose process is gone: replicas that died on their own. */
  dead(): ReadyReplica[] {
    return this.all().filter((replica) => !isRunning(replica.pid));
  }

  everPids(): number[] {
    return [...this.seen];
  }
}
