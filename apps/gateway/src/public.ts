/**
 * The gateway's public entry: what code outside apps/gateway may import from it. Other apps' tests
 * mount probe routes behind the gateway's guard with these decorators; tools validate the gateway's
 * environment with its schema. Everything else in apps/gateway is internal (.dependency-cruiser.cjs).
 */
export { CurrentUser } from './auth/current-user.decorator';
export type { Principal } from './auth/principal';
export { Roles } from './auth/roles.decorator';
export { GatewayEnv } from './config/gateway.env';
/** The read cache's metrics, which the monitoring checks find in the gateway's registry. */
export { ReadCacheMetrics } from './catalog/read-cache/read-cache.metrics';
/** The OpenAPI document the gateway serves, built without connecting anything (npm run openapi). */
export { buildGatewayOpenApiDocument } from './docs/openapi-document';
