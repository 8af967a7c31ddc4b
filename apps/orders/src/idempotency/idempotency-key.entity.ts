import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrderEntity } from '../orders/order.entity';

/**
 * A row of `idempotency_keys`: one client key of one user, bound to the order its first request
 * created. The answer to a repeat is derived from that order, so nothing else needs storing.
 */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_expiry', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 255 }) key: string;
  /** SHA-256 (hex) of the canonical request, to tell a retry from another request under the same key. */
  @Column({ type: 'char', length: 64 }) fingerprint: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId: string;
  /** The foreign key of `order_id` (never loaded: the repositories use SQL). */
  @ManyToOne(() => OrderEntity, { nullable: false, createForeignKeyConstraints: true })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'idempotency_keys_order_id_fkey' })
  order?: OrderEntity;
  /** While in the future, a request with this key is in flight: duplicates get 409 idempotency-key-in-use. */
  @Column({ name: 'locked_until', type: 'timestamptz', precision: 3, nullable: true }) lockedUntil: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
}
