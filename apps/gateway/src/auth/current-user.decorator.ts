import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from './principal';

/** The authenticated caller of a guarded route (set on the request by the gateway's auth guard). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ user?: Principal }>();
  if (!request.user) {
    throw new Error('@CurrentUser() used on a route without an authenticated principal (is it @Public()?)');
  }
  return request.user;
});
