import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A login attempt that failed, or is still being checked. Rows are counted per email and per
 * client address over a sliding window, in the database so every replica sees the same counts.
 */
@Entity('login_attempts')
@Index('login_attempts_email', ['email', 'attemptedAt'])
@Index('login_attempts_address', ['clientAddress', 'attemptedAt'])
@Index('login_attempts_age', ['attemptedAt'])
export class LoginAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;

  @Column({ type: 'varchar', length: 254 }) email: string;

  @Column({ name: 'client_address', type: 'varchar', length: 64 }) clientAddress: string;

  @Column({ name: 'attempted_at', type: 'timestamptz', default: () => 'now()' }) attemptedAt: Date;
}
