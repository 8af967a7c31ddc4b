import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NewOrder, orderColumns, OrderRow } from '../orders/orders.repository';
import { Queryable, rowsOf } from '@app/common/database';

export interface KeyClaim {
  userId: string;
  key: string;
  fingerprint: string;
  /** How long the claim marks the key as in flight. */
  leaseMs: number;
  ttlHours: number;
}

/**
 * The end of every key claim (after its INSERT ... VALUES/SELECT): a new key, or an expired one, is
 * taken for the claim's order; a live key is left as it is, and the claim returns no row for it.
 */
export const CLAIM_UNLESS_LIVE = `ON CONFLICT ("user_id", "key") DO UPDATE SET "fingerprint" = EXCLUDED."fingerprint",
           "order_id" = EXCLUDED."order_id", "locked_until" = EXCLUDED."locked_until", "created_at" = now(),
           "expires_at" = EXCLUDED."expires_at"
         WHERE "idempotency_keys"."expires_at" <= now()
         RETURNING "order_id"`;

/** A key's record together with the order its first request created. */
export interface KeyRecord {
  fingerprint: string;
  inFlight: boolean;
  order: OrderRow;
}

/** SQL of the idempotency_keys table. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * In one statement: takes the key (or an expired one) and creates the pending order bound to it.
   * Answers undefined when the key is live, without creating anything; a concurrent claim of the
   * same key waits for this one to commit, so two requests can never both create an order.
   */
  async createOrderUnderKey(
    order: NewOrder,
    claim: KeyClaim,
    db: Queryable = this.dataSource,
  ): Promise<OrderRow | undefined> {
    const rows = await rowsOf<OrderRow>(
      db,
      `WITH "claimed" AS (
         INSERT INTO "idempotency_keys" ("user_id", "key", "fingerprint", "order_id", "locked_until", "expires_at")
         VALUES ($2, $5, $6, $1, now() + $7::integer * interval '1 millisecond', now() + $8::double precision * interval '1 hour')
         ${CLAIM_UNLESS_LIVE}
       )
       INSERT INTO "orders" ("id", "user_id", "requested", "next_recovery_at")
       SELECT "order_id", $2, $3, now() + $4::integer * interval '1 millisecond' FROM "claimed"
       RETURNING ${orderColumns()}`,
      [
        order.id,
        order.userId,
        JSON.stringify(order.requested),
        order.recoverAfterMs,
        claim.key,
        claim.fingerprint,
        claim.leaseMs,
        claim.ttlHours,
      ],
    );
    return rows[0];
  }

  async find(userId: string, key: string): Promise<KeyRecord | undefined> {
    const rows = await rowsOf<OrderRow & { keyFingerprint: string; keyInFlight: boolean }>(
      this.dataSource,
      `SELECT k."fingerprint" AS "keyFingerprint", coalesce(k."locked_until" > now(), false) AS "keyInFlight",
         ${orderColumns('o')}
       FROM "idempotency_keys" k JOIN "orders" o ON o."id" = k."order_id"
       WHERE k."user_id" = $1 AND k."key" = $2 AND k."expires_at" > now()`,
      [userId, key],
    );
    const row = rows[0];
    if (!row) {
      return undefined;
    }
    const { keyFingerprint, keyInFlight, ...order } = row;
    return { fingerprint: keyFingerprint, inFlight: keyInFlight, order };
  }

  /** Marks the key in flight again for a retry that resumes its order; false when another request holds it. */
  async takeLease(userId: string, key: string, orderId: string, leaseMs: number): Promise<boolean> {
    const rows = await rowsOf<unknown>(
      this.dataSource,
      `UPDATE "idempotency_keys" SET "locked_until" = now() + $4::integer * interval '1 millisecond'
       WHERE "user_id" = $1 AND "key" = $2 AND "order_id" = $3 AND ("locked_until" IS NULL OR "locked_until" <= now())
       RETURNING 1`,
      [userId, key, orderId, leaseMs],
    );
    return rows.length === 1;
  }

  /** Lets a retry resume at once after a request that ended without settling its order (503/504). */
  async releaseLease(userId: string, key: string, orderId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "idempotency_keys" SET "locked_until" = NULL WHERE "user_id" = $1 AND "key" = $2 AND "order_id" = $3`,
      [userId, key, orderId],
    );
  }

  /** Deletes up to `batch` expired keys; `SKIP LOCKED` lets every replica sweep without waiting on another. */
  async deleteExpired(batch: number): Promise<number> {
    const rows = await rowsOf<unknown>(
      this.dataSource,
      `DELETE FROM "idempotency_keys" WHERE ("user_id", "key") IN (
         SELECT "user_id", "key" FROM "idempotency_keys" WHERE "expires_at" <= now()
         LIMIT $1 FOR UPDATE SKIP LOCKED
       ) RETURNING 1`,
      [batch],
    );
    return rows.length;
  }
}
