import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LoginLimiter } from '../login-limits/login-limiter';
import { RegistrationLimiter } from '../registration-limits/registration-limiter';
import { RefreshTokenStore } from '../sessions/refresh-token.store';

const SWEEP_INTERVAL_MS = 10 * 60_000;

/**
 * Deletes what no longer counts: login and registration attempts older than their windows, refresh
 * tokens a day past expiry, refresh families a day past their absolute lifetime. Every replica
 * sweeps; the deletes are idempotent, so doing it twice costs only a query.
 */
@Injectable()
export class HousekeepingService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(HousekeepingService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly loginLimiter: LoginLimiter,
    private readonly registrationLimiter: RegistrationLimiter,
    private readonly refreshTokens: RefreshTokenStore,
  ) {}

  onApplicationBootstrap(): void {
    // Once per process, even if the bootstrap hooks run again (as they once did for the hybrid app).
    if (this.timer) {
      return;
    }
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    try {
      await this.loginLimiter.sweep();
      await this.registrationLimiter.sweep();
      await this.refreshTokens.sweep();
    } catch (error) {
      this.log.warn({ err: error }, 'Housekeeping sweep failed; will retry');
    }
  }
}
