import type { UserResponse } from '@app/contracts';
import { UserEntity } from './user.entity';

/** The columns a client may see. */
export type PublicUserFields = Pick<UserEntity, 'id' | 'email' | 'name' | 'role' | 'createdAt'>;

/** Whitelists what a client may see of a user: the password hash is never copied. */
export function toUserResponse(user: PublicUserFields): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}
