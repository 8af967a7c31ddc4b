import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One refresh token, stored only as its SHA-256 hash; single use (`usedAt` set when spent). */
@Entity('refresh_tokens')
export class RefreshTokenEntity {
  @PrimaryColumn('uuid') id: string;

  @Column({ name: 'family_id', type: 'uuid' }) familyId: string;

  @Column({ name: 'token_hash', type: 'bytea' }) tokenHash: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true }) usedAt: Date | null;
}
