import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ListOrdersCommand,
  OrderCommand,
  OrderResponse,
  ORDERS_PATTERNS,
  Page,
  PlaceOrderCommand,
  PlaceOrderResult,
} from '@app/contracts';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderPlacementService } from './order-placement.service';
import { OrderReadingService } from './order-reading.service';

/** NATS handlers of the order subjects: validate (global pipe), call the service, return. */
@Controller()
export class OrdersController {
  constructor(
    private readonly placement: OrderPlacementService,
    private readonly reading: OrderReadingService,
    private readonly cancellation: OrderCancellationService,
  ) {}

  @MessagePattern(ORDERS_PATTERNS.PLACE_ORDER)
  place(@Payload() command: PlaceOrderCommand): Promise<PlaceOrderResult> {
    return this.placement.place(command);
  }

  @MessagePattern(ORDERS_PATTERNS.GET_ORDER)
  get(@Payload() command: OrderCommand): Promise<OrderResponse> {
    return this.reading.get(command);
  }

  @MessagePattern(ORDERS_PATTERNS.LIST_ORDERS)
  list(@Payload() command: ListOrdersCommand): Promise<Page<OrderResponse>> {
    return this.reading.list(command);
  }

  @MessagePattern(ORDERS_PATTERNS.CANCEL_ORDER)
  cancel(@Payload() command: OrderCommand): Promise<OrderResponse> {
    return this.cancellation.cancel(command);
  }
}
