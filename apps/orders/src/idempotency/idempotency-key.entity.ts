import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A row of `idempotency_keys`: one client key of one user, bound to the order its first request
 * created. The answer to a repeat is derived from that order, so nothing else needs storing.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 255 }) key: string;
  /** SHA-256 (hex) of the canonical request, to tell a retry from another request under the same key. */
  @Column({ type: 'char', length: 64 }) fingerprint: string;
  @Column({ name: 'order_id', type: 'uuid' }) orderId: string;
  /** While in the future, a request with this key is in flight: duplicates get 409 idempotency-key-in-use. */
  @Column({ name: 'locked_until', type: 'timestamptz', precision: 3, nullable: true }) lockedUntil: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
}
