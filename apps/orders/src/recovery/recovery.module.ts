import { Module } from '@nestjs/common';
import { OrdersFeatureModule } from '../orders/orders.module';
import { RecoveryWorker } from './recovery.worker';

/** The recovery worker every replica runs (see RecoveryWorker and docs/orders-saga.md). */
@Module({ imports: [OrdersFeatureModule], providers: [RecoveryWorker], exports: [RecoveryWorker] })
export class RecoveryModule {}
