import { DynamicModule, Module } from '@nestjs/common';
import { AUTH_PATTERNS, DatabaseModule, OpsModule, pingControllerFor } from '@app/common';
import { AuthEnv } from './config/auth.env';
import { authSchema } from './database/auth.schema';

export const AUTH_SERVICE = 'auth';

@Module({})
export class AuthModule {
  static forRoot(config: AuthEnv): DynamicModule {
    return {
      module: AuthModule,
      imports: [OpsModule.forRoot(AUTH_SERVICE), DatabaseModule.forRoot(AUTH_SERVICE, config, authSchema)],
      controllers: [pingControllerFor(AUTH_SERVICE, AUTH_PATTERNS.PING)],
      providers: [{ provide: AuthEnv, useValue: config }],
    };
  }
}
