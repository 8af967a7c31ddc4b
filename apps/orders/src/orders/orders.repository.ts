import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupCommit, PreparedQuery, Queryable, rowsOf } from '@app/common/database';
import { outboxInsertFrom } from '@app/common/outbox';
import { EventEnvelope, WireError } from '@app/contracts';
import { OrdersEnv } from '../config/orders.env';
import { OrderEntity, OrderItem, RequestedLine } from './order.entity';

export type OrderRow = OrderEntity;

/** Selected columns, aliased to the entity's property names (optionally of table alias `t`). */
export function orderColumns(t = ''): string {
  const c = (column: string): string => (t ? `${t}."${column}"` : `"${column}"`);
  return `${c('id')}, ${c('user_id')} AS "userId", ${c('status')}, ${c('requested')}, ${c('items')},
    ${c('total_cents')} AS "totalCents", ${c('currency')}, ${c('rejection')}, ${c('stock_release')} AS "stockRelease",
    ${c('recovery_attempts')} AS "recoveryAttempts", ${c('next_recovery_at')} AS "nextRecoveryAt",
    ${c('created_at')} AS "createdAt", ${c('updated_at')} AS "updatedAt", ${c('confirmed_at')} AS "confirmedAt"`;
}

const COLUMNS = orderColumns();

/** Where a page ended: the newest-first keyset of its last row. */
export interface OrderPosition {
  createdAt: string;
  id: string;
}

export interface NewOrder {
  id: string;
  userId: string;
  requested: RequestedLine[];
  /** When recovery may take the order over if its saga has not settled it. */
  recoverAfterMs: number;
}

export interface Pricing {
  items: OrderItem[];
  totalCents: number;
  currency: string;
}

/** One confirmation: the order, its priced lines, when, and its `confirmed` event. */
export interface Confirmation {
  id: string;
  pricing: Pricing;
  at: Date;
  event: EventEnvelope;
}

/**
 * The guard of every confirm, single or batched: only from `pending`, and only while no release
 * was requested (a fence decided first wins). Shared, so both statements keep it alike.
 */
const CONFIRMABLE = (t: string): string => `${t}"status" = 'pending' AND ${t}"stock_release" IS NULL`;

/** See `OrdersRepository.confirmMany`; prepared, as its text never changes. */
const CONFIRM_MANY = new PreparedQuery<OrderRow & { event: unknown }>(
  'orders-confirm-many',
  `WITH "input" AS (
         SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::bigint[], $4::text[], $5::timestamptz[], $6::jsonb[])
           AS i("id", "items", "total_cents", "currency", "at", "event")
       ), "confirmed" AS (
         UPDATE "orders" AS o SET "status" = 'confirmed', "items" = i."items", "total_cents" = i."total_cents",
           "currency" = i."currency", "confirmed_at" = i."at", "updated_at" = i."at", "next_recovery_at" = NULL
         FROM "input" i
         WHERE o."id" = i."id" AND ${CONFIRMABLE('o.')} RETURNING ${orderColumns('o')}, i."event" AS "event"
       ), "events" AS (${outboxInsertFrom('confirmed', '"confirmed"."event"')})
       SELECT * FROM "confirmed"`,
);

/**
 * SQL of the orders table. Every state change is one conditional UPDATE: it happens only from
 * the state it is allowed from, so of two replicas racing to change an order exactly one wins,
 * and the loser learns it from an empty result.
 */
@Injectable()
export class OrdersRepository {
  private readonly log = new Logger(OrdersRepository.name);
  private readonly confirms: GroupCommit<Confirmation, OrderRow | undefined>;

  constructor(
    private readonly dataSource: DataSource,
    config: OrdersEnv,
  ) {
    this.confirms = new GroupCommit({
      maxBatch: config.GROUP_COMMIT_MAX_BATCH,
      maxInFlight: config.GROUP_COMMIT_MAX_IN_FLIGHT,
      // One order confirmed twice at once (saga and recovery) stays two statements: the second sees the first.
      keysOf: (confirmation) => [confirmation.id],
      writeBatch: (confirmations) => this.confirmMany(confirmations),
      writeOne: (confirmation) => this.confirmOne(confirmation),
      onBatchFailure: (err, size) => this.log.warn({ err, size }, 'A batch of confirms failed; confirming one by one'),
    });
  }

  async insert(order: NewOrder, db: Queryable = this.dataSource): Promise<OrderRow> {
    const rows = await rowsOf<OrderRow>(
      db,
      `INSERT INTO "orders" ("id", "user_id", "requested", "next_recovery_at")
       VALUES ($1, $2, $3, now() + $4::integer * interval '1 millisecond') RETURNING ${COLUMNS}`,
      [order.id, order.userId, JSON.stringify(order.requested), order.recoverAfterMs],
    );
    return rows[0];
  }

  async find(id: string, db: Queryable = this.dataSource): Promise<OrderRow | undefined> {
    const rows = await rowsOf<OrderRow>(db, `SELECT ${COLUMNS} FROM "orders" WHERE "id" = $1`, [id]);
    return rows[0];
  }

  /**
   * pending → confirmed, unless a release was requested first (then the fence wins), with its
   * `confirmed` event, atomically. `at` becomes the confirmation time (the event carries it).
   * Confirms arriving together are written in one statement (group commit, see `confirmMany`).
   */
  confirm(id: string, pricing: Pricing, at: Date, event: EventEnvelope): Promise<OrderRow | undefined> {
    return this.confirms.submit({ id, pricing, at, event });
  }

  /** The plain confirm: one order in one statement. */
  async confirmOne({ id, pricing, at, event }: Confirmation): Promise<OrderRow | undefined> {
    const rows = await rowsOf<OrderRow>(
      this.dataSource,
      `WITH "confirmed" AS (
         UPDATE "orders" SET "status" = 'confirmed', "items" = $2, "total_cents" = $3, "currency" = $4,
           "confirmed_at" = $5, "updated_at" = $5, "next_recovery_at" = NULL
         WHERE "id" = $1 AND ${CONFIRMABLE('')} RETURNING ${COLUMNS}
       ), "event" AS (${outboxInsertFrom('confirmed', '$6::jsonb')})
       SELECT * FROM "confirmed"`,
      [id, JSON.stringify(pricing.items), pricing.totalCents, pricing.currency, at, JSON.stringify(event)],
    );
    return rows[0];
  }

  /**
   * Several confirms (of distinct orders) in one statement: each row keeps its own guard, and
   * each row this statement confirmed appends its own event, so the batch is exactly the plain
   * confirms side by side, with one WAL flush. Answers per member: its row, or undefined when
   * its guard refused (a fence won), as `confirmOne` would.
   */
  async confirmMany(confirmations: Confirmation[]): Promise<Array<{ value: OrderRow | undefined }>> {
    const rows = await CONFIRM_MANY.rows(this.dataSource, [
      confirmations.map((c) => c.id),
      confirmations.map((c) => JSON.stringify(c.pricing.items)),
      confirmations.map((c) => c.pricing.totalCents),
      confirmations.map((c) => c.pricing.currency),
      confirmations.map((c) => c.at),
      confirmations.map((c) => JSON.stringify(c.event)),
    ]);
    const byId = new Map(rows.map(({ event: _event, ...row }) => [row.id, row]));
    return confirmations.map((c) => ({ value: byId.get(c.id) }));
  }

  /**
   * pending → rejected. Callers reject only once catalog took nothing (it refused the reserve) or
   * acknowledged the release of a fence, so a requested release is marked done here.
   */
  async reject(db: Queryable, id: string, rejection: WireError): Promise<OrderRow | undefined> {
    const rows = await rowsOf<OrderRow>(
      db,
      `UPDATE "orders" SET "status" = 'rejected', "rejection" = $2, "updated_at" = now(), "next_recovery_at" = NULL,
         "stock_release" = CASE WHEN "stock_release" IS NULL THEN NULL ELSE 'done' END
       WHERE "id" = $1 AND "status" = 'pending' RETURNING ${COLUMNS}`,
      [id, JSON.stringify(rejection)],
    );
    return rows[0];
  }

  /**
   * Records, before asking catalog to release, that a pending order is being fenced: from here on
   * it can only be rejected. Answers the order when this call made the decision.
   */
  async requestFence(id: string): Promise<OrderRow | undefined> {
    const rows = await rowsOf<OrderRow>(
      this.dataSource,
      `UPDATE "orders" SET "stock_release" = 'requested'
       WHERE "id" = $1 AND "status" = 'pending' AND "stock_release" IS NULL RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0];
  }

  /**
   * confirmed → cancelled, with the stock release owed (the intent, durable before catalog is
   * asked). Only the owner or an admin (`userId` null) may do it. Recovery retries the release
   * after `retryAfterMs` if this replica doesn't get it done first.
   */
  async cancel(db: Queryable, id: string, userId: string | null, retryAfterMs: number): Promise<OrderRow | undefined> {
    const rows = await rowsOf<OrderRow>(
      db,
      `UPDATE "orders" SET "status" = 'cancelled', "stock_release" = 'requested', "updated_at" = now(),
         "next_recovery_at" = now() + $3::integer * interval '1 millisecond'
       WHERE "id" = $1 AND "status" = 'confirmed' AND ($2::uuid IS NULL OR "user_id" = $2::uuid) RETURNING ${COLUMNS}`,
      [id, userId, retryAfterMs],
    );
    return rows[0];
  }

  /** Catalog acknowledged the release of a cancelled order: nothing is owed any more. */
  async markReleased(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE "orders" SET "stock_release" = 'done', "next_recovery_at" = NULL
       WHERE "id" = $1 AND "status" = 'cancelled' AND "stock_release" = 'requested'`,
      [id],
    );
  }

  /**
   * Claims up to `limit` orders that need recovery now (pending past their saga, or owing a
   * release), for `leaseMs`: `SKIP LOCKED` keeps two replicas from claiming the same rows at once,
   * and the pushed-back `next_recovery_at` keeps them off until the lease lapses (a claimant that
   * died or froze is replaced then).
   */
  async claimDue(limit: number, leaseMs: number): Promise<OrderRow[]> {
    return rowsOf<OrderRow>(
      this.dataSource,
      `UPDATE "orders" SET "next_recovery_at" = now() + $2::integer * interval '1 millisecond',
         "recovery_attempts" = "recovery_attempts" + 1
       WHERE "id" IN (
         SELECT "id" FROM "orders"
         WHERE ("status" = 'pending' OR "stock_release" = 'requested') AND "next_recovery_at" <= now()
         ORDER BY "next_recovery_at" LIMIT $1 FOR UPDATE SKIP LOCKED
       ) RETURNING ${COLUMNS}`,
      [limit, leaseMs],
    );
  }

  /**
   * One page newest first, in one indexed query, after `after` (keyset: never skips or repeats a
   * row, however many are inserted between pages). Returns up to `limit + 1` rows; the extra one
   * says there is a next page.
   */
  async listPage(userId: string | null, limit: number, after?: OrderPosition): Promise<OrderRow[]> {
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const where: string[] = [];
    if (userId !== null) {
      where.push(`"user_id" = ${param(userId)}::uuid`);
    }
    if (after) {
      where.push(`("created_at", "id") < (${param(after.createdAt)}::timestamptz, ${param(after.id)}::uuid)`);
    }
    return rowsOf<OrderRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM "orders" ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY "created_at" DESC, "id" DESC LIMIT ${param(limit + 1)}`,
      params,
    );
  }
}
