import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '@app/contracts';

/** A user account. Never leaves the auth service: responses come from `toUserResponse`. */
@Entity('users')
@Check('users_email_lower', `"email" = lower("email")`)
@Check('users_role_known', `"role" IN ('customer', 'admin')`)
@Index('users_email_unique', ['email'], { unique: true })
export class UserEntity {
  @PrimaryColumn('uuid') id: string;

  /** Lower-cased (a check constraint enforces it), so the unique index is case-insensitive. */
  @Column({ type: 'varchar', length: 254 }) email: string;

  @Column({ type: 'varchar', length: 100, nullable: true }) name: string | null;

  @Column({ type: 'varchar', length: 16 }) role: Role;

  /** argon2id PHC string. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 }) passwordHash: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}
