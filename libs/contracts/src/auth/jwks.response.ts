/** One public signing key, as RFC 7517 writes it (only the members Bazaar's keys use). */
export interface PublicJwk {
  kty: 'EC' | 'OKP';
  crv: 'P-256' | 'Ed25519';
  x: string;
  y?: string;
  kid: string;
  alg: 'ES256' | 'EdDSA';
  use: 'sig';
}

/** The JWK set of the access-token signing keys: public parts only. */
export interface JwksResponse {
  keys: PublicJwk[];
}
