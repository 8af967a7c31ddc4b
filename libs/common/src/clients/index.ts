export * from './auth.client';
export * from './catalog.client';
export * from './orders.client';
