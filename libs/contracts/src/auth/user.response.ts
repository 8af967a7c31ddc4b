import type { Role } from './role';

/** A user as clients see it (docs/api.md#auth-routes). No password, no hash: the mapper never copies them. */
export interface UserResponse {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: string;
}
