import type { UserResponse } from '@app/common';
import { UserEntity } from './user.entity';

/** Whitelists what a client may see of a user: the password hash is never copied. */
export function toUserResponse(user: UserEntity): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
  };
}
