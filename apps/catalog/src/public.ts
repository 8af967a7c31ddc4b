/**
 * The catalog service's public entry: what code outside apps/catalog may import from it. Tools validate
 * deployment files against the service's environment schema; everything else in apps/catalog is
 * internal (.dependency-cruiser.cjs).
 */
export { CatalogEnv } from './config/catalog.env';
