import { Module } from '@nestjs/common';
import { OrdersEnv } from '../config/orders.env';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { AdmissionBatchRepository } from './admission-batch.repository';
import { CustomerUnitsRepository } from './customer-units.repository';
import { CustomerBudget } from './customer-budget.service';
import { OrderAdmission } from './order-admission.service';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderCursorCodec } from './order-cursor';
import { OrderPlacementService } from './order-placement.service';
import { OrderReadingService } from './order-reading.service';
import { OrderSettlement } from './order-settlement.service';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';

/** Placing, reading and cancelling orders; exports what the recovery worker needs. */
@Module({
  imports: [IdempotencyModule],
  controllers: [OrdersController],
  providers: [
    OrdersRepository,
    CustomerUnitsRepository,
    AdmissionBatchRepository,
    CustomerBudget,
    OrderAdmission,
    OrderSettlement,
    OrderPlacementService,
    OrderReadingService,
    OrderCancellationService,
    {
      provide: OrderCursorCodec,
      inject: [OrdersEnv],
      useFactory: (config: OrdersEnv) => new OrderCursorCodec(config.cursorSecret),
    },
  ],
  exports: [OrdersRepository, OrderSettlement, OrderCancellationService],
})
export class OrdersFeatureModule {}
