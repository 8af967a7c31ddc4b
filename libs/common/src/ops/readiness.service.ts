import { Injectable, Logger } from '@nestjs/common';

export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'up' | 'down'>;
}

const CHECK_TIMEOUT_MS = 2000;

/**
 * Answers "can this process do its work now?": every registered dependency check passes and the
 * process is not shutting down. Checks are registered by whoever owns the dependency.
 */
@Injectable()
export class ReadinessService {
  private readonly log = new Logger(ReadinessService.name);
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => [name, (await this.run(name, check)) ? 'up' : 'down'] as const),
    );
    const checks = Object.fromEntries(entries) as Record<string, 'up' | 'down'>;
    const ready = !this.shuttingDown && entries.every(([, state]) => state === 'up');
    return { ready, checks: this.shuttingDown ? { ...checks, shutdown: 'down' } : checks };
  }

  private async run(name: string, check: ReadinessCheck): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
      });
      return await Promise.race([Promise.resolve().then(check), timeout]);
    } catch (error) {
      this.log.debug({ err: error, check: name }, 'Readiness check failed');
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
