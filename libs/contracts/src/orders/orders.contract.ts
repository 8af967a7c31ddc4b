import { Page } from '../shared/page';
import { EmptyPayload } from '../shared/empty-payload';
import { PingResponse } from '../system/ping.response';
import { ListOrdersCommand } from './list-orders.request';
import { OrderCommand } from './order-id.request';
import { OrderResponse, PlaceOrderResult } from './order.response';
import { OrderChangedEvent, ORDERS_EVENTS } from './orders.events';
import { ORDERS_PATTERNS } from './orders.patterns';
import { PlaceOrderCommand } from './place-order.request';

/** Every subject the orders service answers: the payload it accepts and what it replies. */
export interface OrdersRpc {
  [ORDERS_PATTERNS.PING]: { request: EmptyPayload; response: PingResponse };
  [ORDERS_PATTERNS.PLACE_ORDER]: { request: PlaceOrderCommand; response: PlaceOrderResult };
  [ORDERS_PATTERNS.GET_ORDER]: { request: OrderCommand; response: OrderResponse };
  [ORDERS_PATTERNS.LIST_ORDERS]: { request: ListOrdersCommand; response: Page<OrderResponse> };
  [ORDERS_PATTERNS.CANCEL_ORDER]: { request: OrderCommand; response: OrderResponse };
}

/** Every event the orders service publishes: the `data` of its envelope. */
export interface OrdersEvents {
  [ORDERS_EVENTS.CONFIRMED]: OrderChangedEvent;
  [ORDERS_EVENTS.CANCELLED]: OrderChangedEvent;
}
