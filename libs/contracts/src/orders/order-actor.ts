import { IsIn, IsUUID } from 'class-validator';
import { Role, ROLES } from '../auth/role';

/**
 * Who asks, as the gateway authenticated them: every orders command carries it, and the orders
 * service decides from it what the caller may see (its own orders; every order for an admin).
 */
export class OrderActor {
  @IsUUID('all', { message: '$property must be a UUID' }) userId: string;
  @IsIn(ROLES) role: Role;
}
