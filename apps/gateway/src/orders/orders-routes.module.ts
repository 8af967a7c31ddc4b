import { Module } from '@nestjs/common';

/** The gateway's HTTP routes for the orders service (API.md, Orders section). */
@Module({})
export class OrdersRoutesModule {}
