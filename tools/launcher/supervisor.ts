import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, ExitInfo, Replica } from './replica';
import { say, shout, warn } from './terminal';

export interface SupervisorSettings {
  /** The apps drain for up to SHUTDOWN_GRACE_MS and force their own exit 5 s later. */
  shutdownGraceMs: number;
  exitOnCrash: boolean;
  /** Called when the supervisor decides the launcher must end (crash with --exit-on-crash, nothing left). */
  onGiveUp(reason: string): void;
}

/** A Ctrl-C reaches the whole process group: give replicas this long to say they got it too. */
const ANNOUNCE_WINDOW_MS = 500;
/** Beyond the apps' own bound (grace + 5 s), before the launcher kills. */
const KILL_MARGIN_MS = 7000;
const AFTER_KILL_MS = 3000;

/**
 * Owns every replica once started: reports unexpected exits loudly and keeps the others running
 * (chaos tests kill replicas on purpose), and stops them all on request: SIGTERM, wait for the
 * drain, SIGKILL whatever is left after a bound.
 */
export class Supervisor {
  private readonly replicas: Replica[] = [];
  private stopping: Promise<void> | undefined;
  /** Until then a death fails the start-up (the launcher stops); afterwards the others carry on. */
  private launched = false;

  constructor(private readonly settings: SupervisorSettings) {}

  get all(): readonly Replica[] {
    return this.replicas;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  markLaunched(): void {
    this.launched = true;
  }

  add(replica: Replica): void {
    this.replicas.push(replica);
    void replica.exited.then((exit) => this.onExit(replica, exit));
    if (this.stopping) {
      // Started while a stop was under way (a start-up step racing Ctrl-C): stop it as well.
      replica.signal('SIGTERM');
    }
  }

  /**
   * Stops every replica. `afterGroupSignal` means the launcher itself got SIGINT/SIGTERM, which may
   * have gone to the whole process group: replicas that already announced their shutdown are not
   * signalled again, because a second signal makes an app skip draining and exit 1.
   */
  stop(afterGroupSignal: boolean): Promise<void> {
    this.stopping ??= this.stopAll(afterGroupSignal);
    return this.stopping;
  }

  /** Second Ctrl-C: no more waiting. */
  killAll(): void {
    this.living().forEach((replica) => replica.signal('SIGKILL'));
  }

  private living(): Replica[] {
    return this.replicas.filter((replica) => replica.alive);
  }

  private async stopAll(afterGroupSignal: boolean): Promise<void> {
    if (afterGroupSignal && this.living().length > 0) {
      await Promise.race([sleep(ANNOUNCE_WINDOW_MS), this.allExited()]);
    }
    const targets = this.living();
    if (targets.length > 0) {
      await this.terminate(targets);
    }
    say('Every replica has stopped.');
  }

  private async terminate(targets: Replica[]): Promise<void> {
    say(`Stopping ${targets.length} replica(s)…`);
    for (const replica of targets) {
      replica.state = 'stopping';
      if (!replica.shutdownAnnounced) {
        replica.signal('SIGTERM');
      }
    }
    const bound = this.settings.shutdownGraceMs + KILL_MARGIN_MS;
    await Promise.race([sleep(bound), this.allExited()]);
    const stragglers = this.living();
    if (stragglers.length > 0) {
      warn(`Still running after ${bound} ms, killing: ${stragglers.map((r) => `${r.id} (pid ${r.pid})`).join(', ')}`);
      stragglers.forEach((replica) => replica.signal('SIGKILL'));
      await Promise.race([sleep(AFTER_KILL_MS), this.allExited()]);
    }
  }

  private allExited(): Promise<unknown> {
    return Promise.all(this.replicas.map((replica) => replica.exited));
  }

  private onExit(replica: Replica, exit: ExitInfo): void {
    if (this.stopping) {
      // Killed by the SIGTERM itself is a replica stopped before its shutdown handler existed.
      if (exit.code !== 0 && exit.signal !== 'SIGTERM') {
        warn(`${replica.id} (pid ${replica.pid}) stopped with ${describeExit(exit)}`);
      }
      return;
    }
    shout(`${replica.id} (pid ${replica.pid}) DIED unexpectedly with ${describeExit(exit)}`);
    if (!this.launched) {
      return;
    }
    if (this.settings.exitOnCrash) {
      this.settings.onGiveUp(`${replica.id} died and --exit-on-crash is set`);
    } else if (this.living().length === 0) {
      this.settings.onGiveUp('every replica has exited');
    } else {
      say(`The other ${this.living().length} replica(s) keep running (--exit-on-crash stops everything instead).`);
    }
  }
}
