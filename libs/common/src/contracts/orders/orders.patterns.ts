/** NATS subjects served by the orders service: `<service>.<entity>.<verb>`. */
export const ORDERS_PATTERNS = {
  PING: 'orders.system.ping',
} as const;

export type OrdersPattern = (typeof ORDERS_PATTERNS)[keyof typeof ORDERS_PATTERNS];
