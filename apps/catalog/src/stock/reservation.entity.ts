import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ReservationStatus, ReservedLine, ReserveStockLine, WireError } from '@app/contracts';

/**
 * A row of `reservations`: the first decision about an order's stock, keyed by order id so that
 * repeating a reserve or a release is answered from here instead of moving stock again.
 * `pending` exists only inside the reserving transaction (it holds the key while it decides).
 */
@Entity({ name: 'reservations' })
@Check('reservations_status', `"status" IN ('pending', 'reserved', 'released', 'rejected')`)
export class ReservationEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' }) orderId: string;
  @Column({ type: 'varchar', length: 16 }) status: ReservationStatus | 'pending';
  /** What was asked, to tell a true retry from a different request reusing the order id. */
  @Column({ type: 'jsonb' }) requested: ReserveStockLine[];
  /** The priced lines, once reserved. */
  @Column({ type: 'jsonb', default: () => `'[]'` }) lines: ReservedLine[];
  @Column({ type: 'char', length: 3, nullable: true }) currency: string | null;
  @Column({ type: 'jsonb', nullable: true }) rejection: WireError | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
}
