import { SetMetadata } from '@nestjs/common';
import { Role } from '@app/contracts';

export const ROLES_KEY = 'bazaar:roles';

/** Restricts a gateway route to callers with one of these roles (403 otherwise). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
