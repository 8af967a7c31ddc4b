import 'reflect-metadata';
import { runService } from '@app/common';
import { AuthEnv } from './config/auth.env';
import { AuthModule, AUTH_SERVICE } from './auth.module';
import { authSchema } from './database/auth.schema';

runService({
  service: AUTH_SERVICE,
  envClass: AuthEnv,
  module: (config) => AuthModule.forRoot(config),
  schema: authSchema,
});
