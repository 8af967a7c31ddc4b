/**
 * The Secrets the manifests reference and that an operator creates (docs/operations.md, "Secrets"),
 * each key with a placeholder of the right shape. The checks substitute these for secretKeyRefs an
 * overlay doesn't generate, so an app's config validation sees what it would see in a cluster.
 */
export const SECRET_PLACEHOLDERS: Record<string, Record<string, string>> = {
  'auth-db': { DATABASE_URL: 'postgres://auth:placeholder@auth-db.example.invalid:5432/bazaar_auth' },
  'catalog-db': { DATABASE_URL: 'postgres://catalog:placeholder@catalog-db.example.invalid:5432/bazaar_catalog' },
  'orders-db': { DATABASE_URL: 'postgres://orders:placeholder@orders-db.example.invalid:5432/bazaar_orders' },
  'auth-admin': { ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'placeholder-admin-password' },
  'auth-jwt-keys': { 'signing-keys.pem': '-----BEGIN PRIVATE KEY-----\nplaceholder\n-----END PRIVATE KEY-----\n' },
  'catalog-cursor': { CURSOR_SECRET: 'placeholder-cursor-secret-0123456789abcdef' },
  'orders-cursor': { ORDERS_CURSOR_SECRET: 'placeholder-orders-cursor-secret-0123456789abcdef' },
  // Only with components/postgres (in-cluster databases); the password must match <service>-db's URL.
  'postgres-auth': { password: 'placeholder' },
  'postgres-catalog': { password: 'placeholder' },
  'postgres-orders': { password: 'placeholder' },
  // Each identity's bus password (docs/security.md); read by its app and by the NATS servers.
  'gateway-nats': { password: 'placeholder-nats-gateway-password' },
  'auth-nats': { password: 'placeholder-nats-auth-password' },
  'catalog-nats': { password: 'placeholder-nats-catalog-password' },
  'orders-nats': { password: 'placeholder-nats-orders-password' },
  'events-nats': { password: 'placeholder-nats-events-password' },
  // Only with components/nats-tls (the prod overlay).
  'nats-tls': { 'tls.crt': 'placeholder', 'tls.key': 'placeholder', 'ca.crt': 'placeholder' },
  'gateway-tls': { 'tls.crt': 'placeholder', 'tls.key': 'placeholder' },
  // Only with components/postgres-ca (a managed database signed by a private CA).
  'postgres-ca': { 'ca.crt': 'placeholder' },
};
