import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { PreparedQuery, rowsOf } from '@app/common/database';
import { DomainError } from '@app/common/errors';
import { hashRefreshToken, newRefreshToken } from './refresh-token';
import { FamilyRevocationReason } from './refresh-token-family.entity';
import { judgeSpentToken, SpentToken } from './spent-token-verdict';

export interface RefreshTokenSettings {
  /** Idle lifetime of each token. */
  ttlDays: number;
  /** Absolute lifetime of a family, from its login. */
  familyAbsoluteTtlHours: number;
}

/** Aliased columns, so the row is judged as it comes. */
interface SpentTokenRow extends SpentToken {
  familyId: string;
  userId: string;
}

type Rotation =
  | { kind: 'rotated'; userId: string; refreshToken: string }
  | { kind: 'reused'; familyId: string; userId: string }
  | { kind: 'refused' };

const START_FAMILY = new PreparedQuery<never>(
  'auth-start-refresh-family',
  `WITH "family" AS (INSERT INTO "refresh_token_families" ("id", "user_id") VALUES ($1, $2) RETURNING "id")
   INSERT INTO "refresh_tokens" ("id", "family_id", "token_hash", "expires_at")
   SELECT $3::uuid, "family"."id", $4::bytea, now() + make_interval(days => $5::integer) FROM "family"`,
);

export const INVALID_REFRESH_TOKEN = 'The refresh token is invalid, expired or revoked';

/**
 * Refresh tokens: issued in families (one per login), single use, rotated on every refresh.
 *
 * Spending is one conditional UPDATE (`... WHERE used_at IS NULL RETURNING`): of two concurrent
 * refreshes with the same token, the row lock lets exactly one mark it used; the other then sees
 * a spent token, which is a reuse: the whole family is revoked and both the thief's and the
 * victim's copies stop working (docs/api.md#authentication).
 *
 * A family also has an absolute lifetime from its login (`created_at`), judged against the live
 * setting rather than stored per family, so shortening it takes effect on every session at once.
 * A refresh past it fails like an expired token and ends (revokes) the family.
 */
export class RefreshTokenStore {
  private readonly log = new Logger(RefreshTokenStore.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: RefreshTokenSettings,
  ) {}

  /**
   * A new family (a login) and its first token, in one statement: a statement is atomic on its
   * own, so this needs no BEGIN/COMMIT round trips (one round trip where a transaction took four).
   */
  async startFamily(userId: string): Promise<string> {
    const token = newRefreshToken();
    await START_FAMILY.rows(this.dataSource, [
      randomUUID(),
      userId,
      randomUUID(),
      hashRefreshToken(token),
      this.settings.ttlDays,
    ]);
    return token;
  }

  /** Spends `token` and issues its successor in the same family; answers the family's user. */
  async rotate(token: string): Promise<{ userId: string; refreshToken: string }> {
    const rotation = await this.dataSource.transaction((manager) => this.spend(manager, token));
    switch (rotation.kind) {
      case 'rotated':
        return { userId: rotation.userId, refreshToken: rotation.refreshToken };
      case 'reused':
        await this.revokeFamily(this.dataSource.manager, rotation.familyId, 'reuse');
        this.log.warn({ familyId: rotation.familyId, userId: rotation.userId }, 'Refresh token reused: family revoked');
        throw new DomainError('unauthorized', INVALID_REFRESH_TOKEN);
      case 'refused':
        throw new DomainError('unauthorized', INVALID_REFRESH_TOKEN);
    }
  }

  /** Logout: the token's whole family stops working. Unknown tokens are ignored (idempotent). */
  async revokeFamilyOf(token: string): Promise<void> {
    const family = await this.familyOf(this.dataSource.manager, token);
    if (family) {
      await this.revokeFamily(this.dataSource.manager, family.familyId, 'logout');
    }
  }

  /** Every session of a user ends (e.g. its password changed). */
  async revokeAllOf(userId: string, reason: FamilyRevocationReason): Promise<void> {
    await this.dataSource.query(
      `UPDATE "refresh_token_families" SET "revoked_at" = now(), "revoked_reason" = $2
        WHERE "user_id" = $1 AND "revoked_at" IS NULL`,
      [userId, reason],
    );
  }

  /**
   * Drops families a day past their absolute lifetime (their tokens go with them, ON DELETE CASCADE),
   * tokens a day past expiry, and families left with none (any replica may run it).
   */
  async sweep(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM "refresh_token_families"
        WHERE "created_at" < now() - make_interval(hours => $1) - interval '1 day'`,
      [this.settings.familyAbsoluteTtlHours],
    );
    await this.dataSource.query(`DELETE FROM "refresh_tokens" WHERE "expires_at" < now() - interval '1 day'`);
    await this.dataSource.query(
      `DELETE FROM "refresh_token_families" AS f
        WHERE f."created_at" < now() - interval '1 day'
          AND NOT EXISTS (SELECT 1 FROM "refresh_tokens" AS t WHERE t."family_id" = f."id")`,
    );
  }

  /**
   * Marks the token used (the row lock makes this the one place concurrent refreshes are decided)
   * and answers what the refresh gets. A family past its lifetime is ended in the same transaction.
   */
  private async spend(manager: EntityManager, token: string): Promise<Rotation> {
    const [spent] = await rowsOf<SpentTokenRow>(
      manager,
      `UPDATE "refresh_tokens" AS t SET "used_at" = now()
         FROM "refresh_token_families" AS f
        WHERE t."token_hash" = $1 AND t."used_at" IS NULL AND f."id" = t."family_id"
        RETURNING t."family_id" AS "familyId", f."user_id" AS "userId", t."expires_at" AS "expiresAt",
                  f."created_at" AS "familyStartedAt", f."revoked_at" IS NOT NULL AS "familyRevoked", now() AS "now"`,
      [hashRefreshToken(token)],
    );
    if (!spent) {
      const family = await this.familyOf(manager, token);
      return family ? { kind: 'reused', ...family } : { kind: 'refused' };
    }
    switch (judgeSpentToken(spent, this.settings.familyAbsoluteTtlHours)) {
      case 'rotate':
        return { kind: 'rotated', userId: spent.userId, refreshToken: await this.issue(manager, spent.familyId) };
      case 'family-expired':
        await this.revokeFamily(manager, spent.familyId, 'expired');
        this.log.log(
          { familyId: spent.familyId, userId: spent.userId },
          'Session reached its absolute lifetime: ended',
        );
        return { kind: 'refused' };
      case 'token-expired':
      case 'family-revoked':
        return { kind: 'refused' };
    }
  }

  private async issue(manager: EntityManager, familyId: string): Promise<string> {
    const token = newRefreshToken();
    await manager.query(
      `INSERT INTO "refresh_tokens" ("id", "family_id", "token_hash", "expires_at")
       VALUES ($1, $2, $3, now() + make_interval(days => $4))`,
      [randomUUID(), familyId, hashRefreshToken(token), this.settings.ttlDays],
    );
    return token;
  }

  private async familyOf(
    manager: EntityManager,
    token: string,
  ): Promise<{ familyId: string; userId: string } | undefined> {
    const [row] = await rowsOf<{ family_id: string; user_id: string }>(
      manager,
      `SELECT t."family_id", f."user_id" FROM "refresh_tokens" AS t
         JOIN "refresh_token_families" AS f ON f."id" = t."family_id"
        WHERE t."token_hash" = $1`,
      [hashRefreshToken(token)],
    );
    return row ? { familyId: row.family_id, userId: row.user_id } : undefined;
  }

  private async revokeFamily(manager: EntityManager, familyId: string, reason: FamilyRevocationReason): Promise<void> {
    await manager.query(
      `UPDATE "refresh_token_families" SET "revoked_at" = now(), "revoked_reason" = $2
        WHERE "id" = $1 AND "revoked_at" IS NULL`,
      [familyId, reason],
    );
  }
}
