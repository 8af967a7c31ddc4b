export * from './orders.client';
export * from './orders.patterns';
