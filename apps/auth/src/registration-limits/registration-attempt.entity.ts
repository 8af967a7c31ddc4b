import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A registration attempt (created or refused as a duplicate alike), counted per client address over
 * a sliding window. No email is kept: the count is all the limit needs.
 */
@Entity('registration_attempts')
@Index('registration_attempts_address', ['clientAddress', 'attemptedAt'])
@Index('registration_attempts_age', ['attemptedAt'])
export class RegistrationAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;

  @Column({ name: 'client_address', type: 'varchar', length: 64 }) clientAddress: string;

  @Column({ name: 'attempted_at', type: 'timestamptz', default: () => 'now()' }) attemptedAt: Date;
}
