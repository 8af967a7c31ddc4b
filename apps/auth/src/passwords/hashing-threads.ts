import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomFill } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { AuthEnv } from '../config/auth.env';

/** libuv's default pool size; UV_THREADPOOL_SIZE overrides it, clamped to 1–1024 as libuv does. */
function expectedPoolSize(): number {
  const configured = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10);
  return Number.isFinite(configured) && configured > 0 ? Math.min(configured, 1024) : 4;
}

function threadIds(): Set<number> | undefined {
  try {
    return new Set(readdirSync('/proc/self/task').map(Number));
  } catch {
    return undefined; // not Linux
  }
}

/**
 * The threads of libuv's pool, on which argon2 runs (`@node-rs/argon2`'s async calls). When logins
 * arrive faster than the pool hashes, its threads are always runnable, and the kernel would give
 * each of them the share of a core that every event loop on the machine gets: the gateway's,
 * catalog's and auth's own request handling would queue behind hashes (measured: a read's p99 five
 * times its idle value while logins saturate). At a lower priority (a higher nice value, which needs
 * no privilege) the scheduler runs request handling first and gives hashing what is left. Alone,
 * logins hash exactly as fast as before: nice only matters when something else wants the CPU.
 *
 * Node 20's libuv names no threads, and creates the whole pool at its first use. So `identify`,
 * called before anything else has run, makes a first use and takes the threads that appeared.
 */
export class HashingThreads {
  private constructor(
    /** Kernel thread ids, or undefined when they couldn't be told apart. */
    readonly threadIds: readonly number[] | undefined,
    readonly unknownBecause?: string,
  ) {}

  static async identify(): Promise<HashingThreads> {
    const before = threadIds();
    if (!before) {
      return new HashingThreads(undefined, 'no /proc/self/task (not Linux)');
    }
    await new Promise((resolve) => randomFill(Buffer.alloc(1), resolve));
    const created = [...(threadIds() ?? [])].filter((id) => !before.has(id));
    const expected = expectedPoolSize();
    return created.length === expected
      ? new HashingThreads(created)
      : new HashingThreads(
          undefined,
          `expected ${expected} new threads at the pool's first use, saw ${created.length} (already started?)`,
        );
  }

  /** For processes that didn't identify the pool (tests building the module in-process). */
  static unknown(reason: string): HashingThreads {
    return new HashingThreads(undefined, reason);
  }

  /** Sets every pool thread's nice value; answers how many were set. */
  lowerPriority(nice: number): number {
    for (const id of this.threadIds ?? []) {
      setPriority(id, nice); // a thread id as the "pid": Linux's setpriority applies to that thread alone
    }
    return this.threadIds?.length ?? 0;
  }
}

/** Applies HASHING_THREAD_NICE to the pool at start, and says whether it could. */
@Injectable()
export class HashingPriority implements OnApplicationBootstrap {
  private readonly logger = new Logger('HashingPriority');

  constructor(
    @Inject(HashingThreads) private readonly threads: HashingThreads,
    private readonly config: AuthEnv,
  ) {}

  onApplicationBootstrap(): void {
    const nice = this.config.HASHING_THREAD_NICE;
    if (nice === 0) {
      return;
    }
    if (!this.threads.threadIds) {
      this.logger.warn(`Password hashing runs at normal priority: ${this.threads.unknownBecause}`);
      return;
    }
    try {
      const count = this.threads.lowerPriority(nice);
      this.logger.log(`Password hashing threads (${count}) run at nice ${nice}`);
    } catch (error) {
      this.logger.warn(`Password hashing runs at normal priority: ${(error as Error).message}`);
    }
  }
}
