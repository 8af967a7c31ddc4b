import { Module } from '@nestjs/common';
import { IdempotencyCleanup } from './idempotency-cleanup.service';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

/** Idempotency-Key records (in the orders database, so every replica sees the same) and their expiry. */
@Module({
  providers: [IdempotencyKeysRepository, IdempotencyCleanup],
  exports: [IdempotencyKeysRepository, IdempotencyCleanup],
})
export class IdempotencyModule {}
