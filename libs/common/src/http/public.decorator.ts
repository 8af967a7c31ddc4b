import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'bazaar:isPublic';

/** Opts a gateway route (or controller) out of authentication, which is on by default. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
