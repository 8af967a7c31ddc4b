/**
 * The auth service's public entry: what code outside apps/auth may import from it. Tools validate
 * deployment files against the service's environment schema; everything else in apps/auth is
 * internal (.dependency-cruiser.cjs).
 */
export { AuthEnv } from './config/auth.env';
/** The launcher writes the signing-key file this ring reads; its spec proves the two agree. */
export { SigningKeyRing } from './keys/signing-key-ring';
