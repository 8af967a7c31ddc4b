import { OrderResponse } from './order.response';

/** Domain events the orders service publishes to the JetStream stream `ORDERS` (docs/api.md#events). */
export const ORDERS_EVENTS = {
  CONFIRMED: 'orders.events.confirmed',
  CANCELLED: 'orders.events.cancelled',
} as const;

export type OrdersEventSubject = (typeof ORDERS_EVENTS)[keyof typeof ORDERS_EVENTS];

export const ORDERS_STREAM = { name: 'ORDERS', subjects: ['orders.events.>'] };

/** `confirmed` and `cancelled` carry the order as it is after the change. */
export type OrderChangedEvent = OrderResponse;
