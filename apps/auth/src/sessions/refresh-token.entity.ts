import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { RefreshTokenFamilyEntity } from './refresh-token-family.entity';

/** One refresh token, stored only as its SHA-256 hash; single use (`usedAt` set when spent). */
@Entity('refresh_tokens')
@Index('refresh_tokens_hash_unique', ['tokenHash'], { unique: true })
@Index('refresh_tokens_family', ['familyId'])
@Index('refresh_tokens_expiry', ['expiresAt'])
export class RefreshTokenEntity {
  @PrimaryColumn('uuid') id: string;

  @Column({ name: 'family_id', type: 'uuid' }) familyId: string;

  /** The foreign key of `family_id` (never loaded): deleting a family deletes its tokens. */
  @ManyToOne(() => RefreshTokenFamilyEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'family_id', foreignKeyConstraintName: 'refresh_tokens_family_id_fkey' })
  family?: RefreshTokenFamilyEntity;

  @Column({ name: 'token_hash', type: 'bytea' }) tokenHash: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true }) usedAt: Date | null;
}
