import { Module } from '@nestjs/common';
import { ReservationsRepository } from './reservations.repository';
import { StockController } from './stock.controller';
import { StockRepository } from './stock.repository';
import { StockService } from './stock.service';

@Module({
  controllers: [StockController],
  providers: [StockService, StockRepository, ReservationsRepository],
})
export class StockModule {}
