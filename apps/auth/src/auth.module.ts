import { DynamicModule, Module } from '@nestjs/common';
import { EnvModule } from '@app/common/config';
import { DatabaseModule } from '@app/common/database';
import { busConnectionFrom } from '@app/common/messaging';
import { OpsModule, pingControllerFor } from '@app/common/ops';
import { eventRetentionFrom, OutboxModule } from '@app/common/outbox';
import { AUTH_PATTERNS, AUTH_STREAM } from '@app/contracts';
import { AdminModule } from './admin/admin.module';
import { AuthEnv } from './config/auth.env';
import { authSchema } from './database/auth.schema';
import { HousekeepingModule } from './housekeeping/housekeeping.module';
import { KeysModule } from './keys/keys.module';
import { HashingPriority, HashingThreads } from './passwords/hashing-threads';
import { SessionsModule } from './sessions/sessions.module';
import { UsersModule } from './users/users.module';

export const AUTH_SERVICE = 'auth';

@Module({})
export class AuthModule {
  static forRoot(
    config: AuthEnv,
    hashingThreads = HashingThreads.unknown('the pool was not identified at start (main.ts)'),
  ): DynamicModule {
    return {
      module: AuthModule,
      providers: [{ provide: HashingThreads, useValue: hashingThreads }, HashingPriority],
      imports: [
        EnvModule.forRoot(config),
        OpsModule.forRoot(AUTH_SERVICE),
        DatabaseModule.forRoot(AUTH_SERVICE, config, authSchema),
        OutboxModule.forRoot({
          service: AUTH_SERVICE,
          bus: busConnectionFrom(config, AUTH_SERVICE),
          retention: eventRetentionFrom(config),
          stream: AUTH_STREAM,
        }),
        KeysModule,
        UsersModule,
        SessionsModule,
        AdminModule,
        HousekeepingModule,
      ],
      controllers: [pingControllerFor(AUTH_SERVICE, AUTH_PATTERNS.PING)],
    };
  }
}
