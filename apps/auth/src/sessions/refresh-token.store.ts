import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { PreparedQuery, queryRows } from '../database/sql';
import { hashRefreshToken, newRefreshToken } from './refresh-token';
import { FamilyRevocationReason } from './refresh-token-family.entity';

export interface RefreshTokenSettings {
  ttlDays: number;
}

interface SpentToken {
  family_id: string;
  user_id: string;
  expired: boolean;
  revoked: boolean;
}

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
 * victim's copies stop working (API.md).
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
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [spent] = await queryRows<SpentToken>(
        manager,
        `UPDATE "refresh_tokens" AS t SET "used_at" = now()
           FROM "refresh_token_families" AS f
          WHERE t."token_hash" = $1 AND t."used_at" IS NULL AND f."id" = t."family_id"
          RETURNING t."family_id", f."user_id", t."expires_at" <= now() AS "expired", f."revoked_at" IS NOT NULL AS "revoked"`,
        [hashRefreshToken(token)],
      );
      if (!spent) {
        return { reusedFamily: await this.familyOf(manager, token) };
      }
      if (spent.expired || spent.revoked) {
        return {};
      }
      return { userId: spent.user_id, refreshToken: await this.issue(manager, spent.family_id) };
    });
    if (outcome.reusedFamily) {
      await this.revokeFamily(outcome.reusedFamily.familyId, 'reuse');
      this.log.warn(
        { familyId: outcome.reusedFamily.familyId, userId: outcome.reusedFamily.userId },
        'Refresh token reused: family revoked',
      );
    }
    if (outcome.userId === undefined || outcome.refreshToken === undefined) {
      throw new DomainError('unauthorized', INVALID_REFRESH_TOKEN);
    }
    return { userId: outcome.userId, refreshToken: outcome.refreshToken };
  }

  /** Logout: the token's whole family stops working. Unknown tokens are ignored (idempotent). */
  async revokeFamilyOf(token: string): Promise<void> {
    const family = await this.familyOf(this.dataSource.manager, token);
    if (family) {
      await this.revokeFamily(family.familyId, 'logout');
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

  /** Drops tokens a day past expiry, and families left with none (any replica may run it). */
  async sweep(): Promise<void> {
    await this.dataSource.query(`DELETE FROM "refresh_tokens" WHERE "expires_at" < now() - interval '1 day'`);
    await this.dataSource.query(
      `DELETE FROM "refresh_token_families" AS f
        WHERE f."created_at" < now() - interval '1 day'
          AND NOT EXISTS (SELECT 1 FROM "refresh_tokens" AS t WHERE t."family_id" = f."id")`,
    );
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
    const [row] = await queryRows<{ family_id: string; user_id: string }>(
      manager,
      `SELECT t."family_id", f."user_id" FROM "refresh_tokens" AS t
         JOIN "refresh_token_families" AS f ON f."id" = t."family_id"
        WHERE t."token_hash" = $1`,
      [hashRefreshToken(token)],
    );
    return row ? { familyId: row.family_id, userId: row.user_id } : undefined;
  }

  private async revokeFamily(familyId: string, reason: FamilyRevocationReason): Promise<void> {
    await this.dataSource.query(
      `UPDATE "refresh_token_families" SET "revoked_at" = now(), "revoked_reason" = $2
        WHERE "id" = $1 AND "revoked_at" IS NULL`,
      [familyId, reason],
    );
  }
}
