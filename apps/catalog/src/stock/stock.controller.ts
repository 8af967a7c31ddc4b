import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CATALOG_PATTERNS, OrderIdRequest, ReservationResponse, ReserveStockRequest } from '@app/contracts';
import { StockService } from './stock.service';

/** NATS handlers of the stock subjects (used by orders; not exposed over HTTP). */
@Controller()
export class StockController {
  constructor(private readonly stock: StockService) {}

  @MessagePattern(CATALOG_PATTERNS.RESERVE_STOCK)
  reserve(@Payload() request: ReserveStockRequest): Promise<ReservationResponse> {
    return this.stock.reserve(request);
  }

  @MessagePattern(CATALOG_PATTERNS.RELEASE_STOCK)
  release(@Payload() request: OrderIdRequest): Promise<ReservationResponse> {
    return this.stock.release(request.orderId);
  }

  @MessagePattern(CATALOG_PATTERNS.GET_RESERVATION)
  get(@Payload() request: OrderIdRequest): Promise<ReservationResponse> {
    return this.stock.getReservation(request.orderId);
  }
}
