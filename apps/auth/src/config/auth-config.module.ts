import { DynamicModule, Global, Module } from '@nestjs/common';
import { AuthEnv } from './auth.env';

/** Makes the validated AuthEnv injectable in every feature module. */
@Global()
@Module({})
export class AuthConfigModule {
  static forRoot(config: AuthEnv): DynamicModule {
    return { module: AuthConfigModule, providers: [{ provide: AuthEnv, useValue: config }], exports: [AuthEnv] };
  }
}
