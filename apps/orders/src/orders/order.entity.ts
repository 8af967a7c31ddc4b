import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OrderStatus, WireError } from '@app/contracts';

/** A line as the client asked for it (product ids lower-cased, the client's order kept). */
export interface RequestedLine {
  productId: string;
  quantity: number;
}

/** A line as catalog reserved it, priced then: the snapshot an order keeps. */
export interface OrderItem {
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
}

/** `requested`: stock must go back to catalog (a fence or a cancel); `done`: catalog acknowledged it. */
export type StockRelease = 'requested' | 'done';

/**
 * A row of `orders` (see the migration for what each column is for), with the constraints and
 * indexes the migration creates (schema-matches-migrations.int-spec.ts proves it). The list
 * indexes have DESC keys, which TypeORM's index model can't state: `synchronize: false` declares
 * them without letting TypeORM rebuild them.
 */
@Entity({ name: 'orders' })
@Check('orders_status', `"status" IN ('pending', 'confirmed', 'rejected', 'cancelled')`)
@Check('orders_stock_release', `"stock_release" IN ('requested', 'done')`)
@Check(
  'orders_priced_when_confirmed',
  `"status" NOT IN ('confirmed', 'cancelled') OR ("currency" IS NOT NULL AND "confirmed_at" IS NOT NULL)`,
)
@Check('orders_rejection_when_rejected', `"status" <> 'rejected' OR "rejection" IS NOT NULL`)
@Index('orders_newest', { synchronize: false })
@Index('orders_user_newest', { synchronize: false })
@Index('orders_recovery_due', ['nextRecoveryAt'], { where: `"status" = 'pending' OR "stock_release" = 'requested'` })
export class OrderEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) status: OrderStatus;
  @Column({ type: 'jsonb' }) requested: RequestedLine[];
  @Column({ type: 'jsonb', default: () => `'[]'` }) items: OrderItem[];
  /** bigint: node-postgres hands it over as a string. */
  @Column({ name: 'total_cents', type: 'bigint', default: 0 }) totalCents: string;
  @Column({ type: 'char', length: 3, nullable: true }) currency: string | null;
  @Column({ type: 'jsonb', nullable: true }) rejection: WireError | null;
  @Column({ name: 'stock_release', type: 'varchar', length: 16, nullable: true }) stockRelease: StockRelease | null;
  @Column({ name: 'recovery_attempts', type: 'integer', default: 0 }) recoveryAttempts: number;
  @Column({ name: 'next_recovery_at', type: 'timestamptz', precision: 3, nullable: true })
  nextRecoveryAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 }) updatedAt: Date;
  @Column({ name: 'confirmed_at', type: 'timestamptz', precision: 3, nullable: true }) confirmedAt: Date | null;
}
