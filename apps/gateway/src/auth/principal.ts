import type { Role } from '@app/contracts';

/** The authenticated caller, as the gateway learns it from a verified access token. */
export interface Principal {
  userId: string;
  role: Role;
  /** The token's `jti`, for logs and audits. */
  tokenId: string;
}
