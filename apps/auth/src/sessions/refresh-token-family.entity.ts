import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/** `expired`: a refresh came after the family's absolute lifetime. */
export type FamilyRevocationReason = 'logout' | 'reuse' | 'password-changed' | 'expired';

/** Every refresh token descended from one login. Revoking the family ends that session. */
@Entity('refresh_token_families')
@Index('refresh_token_families_user', ['userId'])
@Index('refresh_token_families_age', ['createdAt'])
export class RefreshTokenFamilyEntity {
  @PrimaryColumn('uuid') id: string;

  @Column({ name: 'user_id', type: 'uuid' }) userId: string;

  /** The foreign key of `user_id` (never loaded): deleting a user deletes its sessions. */
  @ManyToOne(() => UserEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'refresh_token_families_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason: FamilyRevocationReason | null;
}
