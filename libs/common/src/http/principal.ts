export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, as the gateway learns it from a verified access token. */
export interface Principal {
  userId: string;
  role: Role;
  /** The token's `jti`, for logs and audits. */
  tokenId: string;
}
