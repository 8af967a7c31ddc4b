/** A refresh token just marked used, as the database saw it (its clock: every replica judges alike). */
export interface SpentToken {
  /** End of the token's own (idle) lifetime. */
  expiresAt: Date;
  /** The login that started the family. */
  familyStartedAt: Date;
  familyRevoked: boolean;
  /** The database's `now()` when the token was spent. */
  now: Date;
}

/**
 * What a refresh with a freshly spent token gets: a successor (`rotate`), or 401. `family-expired`
 * also ends the family, so it stops counting as a live session and becomes prunable.
 */
export type SpentTokenVerdict = 'rotate' | 'family-revoked' | 'family-expired' | 'token-expired';

const HOUR_MS = 3_600_000;

/** When a family started at `startedAt` stops refreshing, whatever its tokens say. */
export function familyEndsAt(startedAt: Date, absoluteTtlHours: number): Date {
  return new Date(startedAt.getTime() + absoluteTtlHours * HOUR_MS);
}

/**
 * Judges a spent token. A lifetime ends *at* its end instant (as `expires_at <= now()` always did).
 * A family past its absolute lifetime is reported as such even when the token also expired, so that
 * the family is ended either way; an already revoked family needs nothing more.
 */
export function judgeSpentToken(token: SpentToken, absoluteTtlHours: number): SpentTokenVerdict {
  const now = token.now.getTime();
  if (token.familyRevoked) {
    return 'family-revoked';
  }
  if (familyEndsAt(token.familyStartedAt, absoluteTtlHours).getTime() <= now) {
    return 'family-expired';
  }
  if (token.expiresAt.getTime() <= now) {
    return 'token-expired';
  }
  return 'rotate';
}
