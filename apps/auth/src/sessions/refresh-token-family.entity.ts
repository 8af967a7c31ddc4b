import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `expired`: a refresh came after the family's absolute lifetime. */
export type FamilyRevocationReason = 'logout' | 'reuse' | 'password-changed' | 'expired';

/** Every refresh token descended from one login. Revoking the family ends that session. */
@Entity('refresh_token_families')
export class RefreshTokenFamilyEntity {
  @PrimaryColumn('uuid') id: string;

  @Column({ name: 'user_id', type: 'uuid' }) userId: string;

  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason: FamilyRevocationReason | null;
}
