import { DomainError } from '@app/common/errors';

/** How many earlier attempts of the window count against a login, per email and per client address. */
export interface AttemptCounts {
  email: number;
  address: number;
}

export interface AttemptLimits {
  maxPerEmail: number;
  maxPerAddress: number;
}

/** Which limits a login breaks: an attempt is refused once the earlier ones reach the limit. */
export function blockedLimits(counts: AttemptCounts, limits: AttemptLimits): { email: boolean; address: boolean } {
  return { email: counts.email >= limits.maxPerEmail, address: counts.address >= limits.maxPerAddress };
}

/** The refusal of every attempt limit: 429 with Retry-After, the longest of the waits (at least 1 s). */
export function tooManyAttempts(message: string, waitsSeconds: number[]): DomainError {
  return new DomainError('rate-limited', message, { retryAfterSeconds: Math.max(1, ...waitsSeconds) });
}
