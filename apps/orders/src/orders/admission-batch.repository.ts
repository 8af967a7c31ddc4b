import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PreparedQuery } from '@app/common/database';
import { CLAIM_UNLESS_LIVE, KeyClaim } from '../idempotency/idempotency-keys.repository';
import { CUSTOMER_UNITS_LOCK, liveUnitsQuery } from './customer-units.repository';
import { NewOrder, orderColumns, OrderRow } from './orders.repository';

/** One placement of a batch: its order, and its key's claim if the request had one. */
export interface Admission {
  order: NewOrder;
  claim?: KeyClaim;
}

/** What a batch member's customer holds now, and whether its key is live (a repeat). */
export interface AdmissionState {
  heldUnits: number;
  keyLive: boolean;
}

// Prepared (PreparedQuery), and run on their generic plans (useGenericPlans): every batch of
// placements runs these three. A generic plan is made once per connection, possibly while the
// tables are still empty, so each must stay an index lookup whatever their size: `keyLive` is a
// scalar subquery on the key's primary key, not an EXISTS, which on an empty table is planned as
// a hash of every key (a scan that grows with the table).
const LOCK_CUSTOMERS = new PreparedQuery<never>(
  'orders_lock_customers',
  `SELECT pg_advisory_xact_lock(${CUSTOMER_UNITS_LOCK}, "h") FROM (
     SELECT DISTINCT hashtext("u") AS "h" FROM unnest($1::text[]) AS "u" ORDER BY 1
   ) AS "sorted"`,
);

const STATE_OF = new PreparedQuery<AdmissionState & { n: string }>(
  'orders_admission_state',
  `SELECT i."n",
     (${liveUnitsQuery('i."user_id"', '$3')}) AS "heldUnits",
     coalesce((SELECT k."expires_at" > now() FROM "idempotency_keys" k
               WHERE k."user_id" = i."user_id" AND k."key" = i."key"), false) AS "keyLive"
   FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS i("user_id", "key", "n")`,
);

const INSERT_ADMITTED = new PreparedQuery<OrderRow>(
  'orders_insert_admitted',
  `WITH "input" AS (
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::jsonb[], $4::integer[], $5::text[], $6::text[],
       $7::integer[], $8::double precision[])
       AS i("id", "user_id", "requested", "recover_ms", "key", "fingerprint", "lease_ms", "ttl_hours")
   ), "claimed" AS (
     INSERT INTO "idempotency_keys" ("user_id", "key", "fingerprint", "order_id", "locked_until", "expires_at")
     SELECT "user_id", "key", "fingerprint", "id", now() + "lease_ms" * interval '1 millisecond',
       now() + "ttl_hours" * interval '1 hour'
     FROM "input" WHERE "key" IS NOT NULL
     ${CLAIM_UNLESS_LIVE}
   )
   INSERT INTO "orders" ("id", "user_id", "requested", "next_recovery_at")
   SELECT "id", "user_id", "requested", now() + "recover_ms" * interval '1 millisecond' FROM "input"
   WHERE "key" IS NULL OR "id" IN (SELECT "order_id" FROM "claimed")
   RETURNING ${orderColumns()}`,
);

/** What a batch of admissions runs on generic plans (checked by generic-plans.int-spec.ts). */
export const ADMISSION_BATCH_STATEMENTS: ReadonlyArray<PreparedQuery<unknown>> = [
  LOCK_CUSTOMERS,
  STATE_OF,
  INSERT_ADMITTED,
];

/**
 * SQL of a batch of admissions (group commit, docs/orders-saga.md#group-commit): the statements of
 * `CustomerUnitsRepository` and `IdempotencyKeysRepository.createOrderUnderKey`, each for every
 * member at once. The batch holds at most one placement per customer.
 */
@Injectable()
export class AdmissionBatchRepository {
  /**
   * Takes the customers' locks (the same two-key advisory locks as `lockCustomer`), in the order of
   * the lock keys: every batch, on any replica, takes them in that one order, so two batches can't
   * each hold a lock the other waits for (a single placement takes only one). The subquery's
   * ORDER BY runs before the outer target list, which takes the locks.
   */
  async lockCustomers(transaction: EntityManager, userIds: string[]): Promise<void> {
    await LOCK_CUSTOMERS.rows(transaction, [userIds]);
  }

  /**
   * Per member, in one statement after the locks (so it sees every admission committed before):
   * the units its customer's live orders of the window hold (`liveUnitsQuery`, the rule a single
   * placement is judged by), and whether its key is live, in which case nothing is created for it
   * and it is not judged.
   */
  async stateOf(transaction: EntityManager, batch: Admission[], windowMinutes: number): Promise<AdmissionState[]> {
    const rows = await STATE_OF.rows(transaction, [
      batch.map((member) => member.order.userId),
      batch.map((member) => member.claim?.key ?? null),
      windowMinutes,
    ]);
    const byPosition = new Map(rows.map((row) => [Number(row.n) - 1, row]));
    return batch.map((_, i) => {
      const { heldUnits, keyLive } = byPosition.get(i)!;
      return { heldUnits, keyLive };
    });
  }

  /**
   * Inserts the admitted orders, and takes the keys of those that have one (or an expired one),
   * in one statement. An order whose key turns out live is not created (absent from the answer).
   */
  async insert(transaction: EntityManager, batch: Admission[]): Promise<OrderRow[]> {
    return INSERT_ADMITTED.rows(transaction, [
      batch.map((m) => m.order.id),
      batch.map((m) => m.order.userId),
      batch.map((m) => JSON.stringify(m.order.requested)),
      batch.map((m) => m.order.recoverAfterMs),
      batch.map((m) => m.claim?.key ?? null),
      batch.map((m) => m.claim?.fingerprint ?? null),
      batch.map((m) => m.claim?.leaseMs ?? null),
      batch.map((m) => m.claim?.ttlHours ?? null),
    ]);
  }
}
