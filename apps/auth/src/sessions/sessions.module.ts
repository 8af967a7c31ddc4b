import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthEnv } from '../config/auth.env';
import { KeysModule } from '../keys/keys.module';
import { LoginLimitsModule } from '../login-limits/login-limits.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { UsersModule } from '../users/users.module';
import { RefreshTokenStore } from './refresh-token.store';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [UsersModule, PasswordsModule, LoginLimitsModule, KeysModule],
  controllers: [SessionsController],
  providers: [
    SessionsService,
    {
      provide: RefreshTokenStore,
      inject: [DataSource, AuthEnv],
      useFactory: (dataSource: DataSource, config: AuthEnv) =>
        new RefreshTokenStore(dataSource, {
          ttlDays: config.REFRESH_TOKEN_TTL_DAYS,
          familyAbsoluteTtlHours: config.REFRESH_FAMILY_ABSOLUTE_TTL_HOURS,
        }),
    },
  ],
  exports: [RefreshTokenStore],
})
export class SessionsModule {}
