import { Module } from '@nestjs/common';
import { OrdersRoutesController } from './orders-routes.controller';

/** The gateway's HTTP routes for the orders service (docs/api.md#order-routes). */
@Module({ controllers: [OrdersRoutesController] })
export class OrdersRoutesModule {}
