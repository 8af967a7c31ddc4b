import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthEnv } from '../config/auth.env';
import { LoginLimiter } from './login-limiter';

@Module({
  providers: [
    {
      provide: LoginLimiter,
      inject: [DataSource, AuthEnv],
      useFactory: (dataSource: DataSource, config: AuthEnv) =>
        new LoginLimiter(dataSource, {
          maxPerEmail: config.LOGIN_MAX_FAILURES_PER_EMAIL,
          maxPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
          windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
        }),
    },
  ],
  exports: [LoginLimiter],
})
export class LoginLimitsModule {}
