import { Injectable } from '@nestjs/common';
import { Queryable, rowsOf } from '@app/common/database';

/**
 * SQL of a customer's unit budget, read from the orders themselves (their status is the truth, so
 * a cancel or a rejection frees units without any counter to keep in step).
 */
@Injectable()
export class CustomerUnitsRepository {
  /**
   * Serialises the placements of one customer, across every replica, until the transaction ends.
   * The two-key form keeps it apart from the single-key migration locks; two customers whose ids
   * hash alike merely wait for each other. It must be a statement of its own: a READ COMMITTED
   * statement sees what was committed when it started, so only statements after this one see the
   * order of the placement that held the lock before.
   */
  async lockCustomer(db: Queryable, userId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('bazaar-orders-customer-units'), hashtext($1))`, [userId]);
  }

  /** Units of the customer's pending and confirmed orders placed within the last `windowMinutes`. */
  async liveUnits(db: Queryable, userId: string, windowMinutes: number): Promise<number> {
    const [row] = await rowsOf<{ units: number }>(
      db,
      `SELECT coalesce(sum(("line"->>'quantity')::integer), 0)::integer AS "units"
       FROM "orders" CROSS JOIN LATERAL jsonb_array_elements("requested") AS "line"
       WHERE "user_id" = $1 AND "status" IN ('pending', 'confirmed')
         AND "created_at" > now() - $2::integer * interval '1 minute'`,
      [userId, windowMinutes],
    );
    return row.units;
  }
}
