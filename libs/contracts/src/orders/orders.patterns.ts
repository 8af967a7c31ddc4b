/** NATS subjects served by the orders service: `<service>.<entity>.<verb>`. */
export const ORDERS_PATTERNS = {
  PING: 'orders.system.ping',
  PLACE_ORDER: 'orders.order.place',
  GET_ORDER: 'orders.order.get',
  LIST_ORDERS: 'orders.order.list',
  CANCEL_ORDER: 'orders.order.cancel',
} as const;

export type OrdersPattern = (typeof ORDERS_PATTERNS)[keyof typeof ORDERS_PATTERNS];
