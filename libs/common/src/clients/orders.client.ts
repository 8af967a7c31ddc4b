import { RpcClient } from '../messaging/rpc-client';
import {
  ListOrdersCommand,
  OrderCommand,
  OrderResponse,
  ORDERS_PATTERNS,
  Page,
  PingResponse,
  PlaceOrderCommand,
  PlaceOrderResult,
} from '@app/contracts';

/**
 * Typed calls to the orders service. Every failure is a DomainError: the orders service's own
 * (`not-found`, `conflict`, `forbidden`, `idempotency-key-*`, `order-too-large`,
 * `unit-quota-exceeded`, `validation-error`), the catalog's
 * refusals it passes on (`insufficient-stock`, `unknown-product`, `mixed-currency`), or the
 * transport's (`service-unavailable`, `upstream-timeout`).
 */
export class OrdersClient extends RpcClient {
  ping(): Promise<PingResponse> {
    return this.call<PingResponse>(ORDERS_PATTERNS.PING, {});
  }

  placeOrder(command: PlaceOrderCommand): Promise<PlaceOrderResult> {
    return this.call<PlaceOrderResult>(ORDERS_PATTERNS.PLACE_ORDER, command);
  }

  getOrder(command: OrderCommand): Promise<OrderResponse> {
    return this.call<OrderResponse>(ORDERS_PATTERNS.GET_ORDER, command);
  }

  listOrders(command: ListOrdersCommand): Promise<Page<OrderResponse>> {
    return this.call<Page<OrderResponse>>(ORDERS_PATTERNS.LIST_ORDERS, command);
  }

  cancelOrder(command: OrderCommand): Promise<OrderResponse> {
    return this.call<OrderResponse>(ORDERS_PATTERNS.CANCEL_ORDER, command);
  }
}
