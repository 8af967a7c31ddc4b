import { CanActivate, ExecutionContext, Injectable, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '@app/common/errors';
import { IS_PUBLIC_KEY } from '@app/common/http';
import { Principal } from './principal';
import { Role } from '@app/contracts';
import { ROLES_KEY } from './roles.decorator';
import { INVALID_TOKEN } from './access-token.verifier';

/**
 * The gateway's global guard: every route needs a valid access token unless it is `@Public()`;
 * `@Roles(...)` further restricts it (403 `forbidden`). Failures are DomainErrors, so the problem
 * filter answers `unauthorized` / `forbidden` problem+json.
 */
export function accessTokenGuard(strategyName: string): Type<CanActivate> {
  @Injectable()
  class AccessTokenGuard extends AuthGuard(strategyName) {
    constructor(private readonly reflector: Reflector) {
      super();
    }

    override async canActivate(context: ExecutionContext): Promise<boolean> {
      const targets = [context.getHandler(), context.getClass()];
      if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets)) {
        return true;
      }
      await super.canActivate(context);
      const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
      const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
      if (roles && roles.length > 0 && !roles.includes(principal.role)) {
        throw new DomainError('forbidden', `This route needs the ${roles.join(' or ')} role`);
      }
      return true;
    }

    override handleRequest<TUser = Principal>(error: unknown, user: unknown): TUser {
      if (error instanceof DomainError) {
        throw error;
      }
      if (error || !user) {
        throw new DomainError('unauthorized', INVALID_TOKEN, { cause: error });
      }
      return user as TUser;
    }
  }
  return AccessTokenGuard;
}
