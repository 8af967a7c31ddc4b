// First: a stop during start-up must exit at once (see the module).
import '@app/common/bootstrap/exit-while-starting';
import 'reflect-metadata';
import { runService } from '@app/common/bootstrap';
import { AuthEnv } from './config/auth.env';
import { AuthModule, AUTH_SERVICE } from './auth.module';
import { authSchema } from './database/auth.schema';
import { HashingThreads } from './passwords/hashing-threads';

// First, before anything else uses libuv's pool: its threads are told apart by appearing now.
void HashingThreads.identify().then((hashingThreads) =>
  runService({
    service: AUTH_SERVICE,
    envClass: AuthEnv,
    module: (config) => AuthModule.forRoot(config, hashingThreads),
    schema: authSchema,
  }),
);
