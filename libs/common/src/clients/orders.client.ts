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
  OrdersRpc,
} from '@app/contracts';

/** The reply a subject declares in the contract (OrdersRpc): each method below returns exactly that. */
type Reply<S extends keyof OrdersRpc> = OrdersRpc[S]['response'];

/**
 * Typed calls to the orders service. Every failure is a DomainError: the orders service's own
 * (`not-found`, `conflict`, `forbidden`, `idempotency-key-*`, `order-too-large`,
 * `unit-quota-exceeded`, `validation-error`), the catalog's
 * refusals it passes on (`insufficient-stock`, `unknown-product`, `mixed-currency`), or the
 * transport's (`service-unavailable`, `upstream-timeout`).
 */
export class OrdersClient extends RpcClient {
  ping(): Promise<PingResponse> {
    return this.call<Reply<typeof ORDERS_PATTERNS.PING>>(ORDERS_PATTERNS.PING, {});
  }

  placeOrder(command: PlaceOrderCommand): Promise<PlaceOrderResult> {
    return this.call<Reply<typeof ORDERS_PATTERNS.PLACE_ORDER>>(ORDERS_PATTERNS.PLACE_ORDER, command);
  }

  getOrder(command: OrderCommand): Promise<OrderResponse> {
    return this.call<Reply<typeof ORDERS_PATTERNS.GET_ORDER>>(ORDERS_PATTERNS.GET_ORDER, command);
  }

  listOrders(command: ListOrdersCommand): Promise<Page<OrderResponse>> {
    return this.call<Reply<typeof ORDERS_PATTERNS.LIST_ORDERS>>(ORDERS_PATTERNS.LIST_ORDERS, command);
  }

  cancelOrder(command: OrderCommand): Promise<OrderResponse> {
    return this.call<Reply<typeof ORDERS_PATTERNS.CANCEL_ORDER>>(ORDERS_PATTERNS.CANCEL_ORDER, command);
  }
}
