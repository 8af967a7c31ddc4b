import { Injectable } from '@nestjs/common';
import { Queryable, rowsOf } from '@app/common/database';

/**
 * SQL of a customer's unit budget, read from the orders themselves (their status is the truth, so
 * a cancel or a rejection frees units without any counter to keep in step).
 */
/** The first key of the customers' two-key advisory locks (the single placement's and a batch's). */
export const CUSTOMER_UNITS_LOCK = `hashtext('bazaar-orders-customer-units')`;

/**
 * The units a customer's live orders hold, as one scalar SELECT: its pending and confirmed orders
 * placed within the window. `userId` and `windowMinutes` are SQL expressions (a parameter, or a
 * column of the batch's input), so the single placement and a batch judge by the same rule.
 */
export function liveUnitsQuery(userId: string, windowMinutes: string): string {
  return `SELECT coalesce(sum(("line"->>'quantity')::integer), 0)::integer AS "units"
       FROM "orders" o CROSS JOIN LATERAL jsonb_array_elements(o."requested") AS "line"
       WHERE o."user_id" = ${userId} AND o."status" IN ('pending', 'confirmed')
         AND o."created_at" > now() - ${windowMinutes}::integer * interval '1 minute'`;
}

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
    await db.query(`SELECT pg_advisory_xact_lock(${CUSTOMER_UNITS_LOCK}, hashtext($1))`, [userId]);
  }

  /** Units of the customer's pending and confirmed orders placed within the last `windowMinutes`. */
  async liveUnits(db: Queryable, userId: string, windowMinutes: number): Promise<number> {
    const [row] = await rowsOf<{ units: number }>(db, liveUnitsQuery('$1', '$2'), [userId, windowMinutes]);
    return row.units;
  }
}
