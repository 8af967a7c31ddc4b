/**
 * The orders service's public entry: what code outside apps/orders may import from it. Tools validate
 * deployment files against the service's environment schema; everything else in apps/orders is
 * internal (.dependency-cruiser.cjs).
 */
export { OrdersEnv } from './config/orders.env';
