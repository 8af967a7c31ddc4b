import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A registration attempt (created or refused as a duplicate alike), counted per client address over
 * a sliding window. No email is kept: the count is all the limit needs.
 */
@Entity('registration_attempts')
export class RegistrationAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;

  @Column({ name: 'client_address', type: 'varchar', length: 64 }) clientAddress: string;

  @Column({ name: 'attempted_at', type: 'timestamptz' }) attemptedAt: Date;
}
