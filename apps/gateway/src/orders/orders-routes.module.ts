import { Module } from '@nestjs/common';
import { OrdersRoutesController } from './orders-routes.controller';

/** The gateway's HTTP routes for the orders service (API.md, Orders section). */
@Module({ controllers: [OrdersRoutesController] })
export class OrdersRoutesModule {}
