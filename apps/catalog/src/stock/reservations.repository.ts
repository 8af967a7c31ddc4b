import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReservedLine, ReserveStockLine, WireError } from '@app/common';
import { Queryable, rowsOf } from '../database/sql';
import { ReservationEntity } from './reservation.entity';

export type ReservationRow = ReservationEntity;

const COLUMNS = `"order_id" AS "orderId", "status", "requested", "lines", "currency", "rejection",
  "created_at" AS "createdAt", "updated_at" AS "updatedAt"`;

/** SQL of the reservations table. */
@Injectable()
export class ReservationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the order id for this transaction. Answers false when a reservation for it already
   * committed; a concurrent claim of the same id waits here until the first one commits or
   * rolls back, so two replicas can never both reserve for one order.
   */
  async claim(db: Queryable, orderId: string, requested: ReserveStockLine[]): Promise<boolean> {
    const rows = await rowsOf<unknown>(
      db,
      `INSERT INTO "reservations" ("order_id", "status", "requested") VALUES ($1, 'pending', $2)
       ON CONFLICT ("order_id") DO NOTHING RETURNING "order_id"`,
      [orderId, JSON.stringify(requested)],
    );
    return rows.length === 1;
  }

  async find(orderId: string, db: Queryable = this.dataSource): Promise<ReservationRow | undefined> {
    const rows = await rowsOf<ReservationRow>(
      db,
      `SELECT ${COLUMNS} FROM "reservations" WHERE "order_id" = $1 AND "status" <> 'pending'`,
      [orderId],
    );
    return rows[0];
  }

  async lock(db: Queryable, orderId: string): Promise<ReservationRow | undefined> {
    const rows = await rowsOf<ReservationRow>(
      db,
      `SELECT ${COLUMNS} FROM "reservations" WHERE "order_id" = $1 FOR UPDATE`,
      [orderId],
    );
    return rows[0];
  }

  async markReserved(db: Queryable, orderId: string, lines: ReservedLine[], currency: string) {
    return this.finish(db, orderId, `"status" = 'reserved', "lines" = $2, "currency" = $3`, [
      JSON.stringify(lines),
      currency,
    ]);
  }

  async markRejected(db: Queryable, orderId: string, rejection: WireError): Promise<ReservationRow> {
    return this.finish(db, orderId, `"status" = 'rejected', "rejection" = $2`, [JSON.stringify(rejection)]);
  }

  async markReleased(db: Queryable, orderId: string): Promise<ReservationRow> {
    return this.finish(db, orderId, `"status" = 'released'`, []);
  }

  /**
   * Records a release for an order that has no reservation: a reserve for it still on its way
   * (a retry, or a request that outlived its caller's timeout) then finds the order released and
   * takes nothing. Answers undefined when a reservation committed first.
   */
  async fence(db: Queryable, orderId: string): Promise<ReservationRow | undefined> {
    const rows = await rowsOf<ReservationRow>(
      db,
      `INSERT INTO "reservations" ("order_id", "status", "requested") VALUES ($1, 'released', '[]')
       ON CONFLICT ("order_id") DO NOTHING RETURNING ${COLUMNS}`,
      [orderId],
    );
    return rows[0];
  }

  private async finish(db: Queryable, orderId: string, set: string, params: unknown[]): Promise<ReservationRow> {
    const rows = await rowsOf<ReservationRow>(
      db,
      `UPDATE "reservations" SET ${set}, "updated_at" = now() WHERE "order_id" = $1 RETURNING ${COLUMNS}`,
      [orderId, ...params],
    );
    return rows[0];
  }
}
