export * from './list-orders.request';
export * from './order-actor';
export * from './order-id.request';
export * from './order-rules';
export * from './order.response';
export * from './orders.events';
export * from './orders.patterns';
export * from './place-order.request';
