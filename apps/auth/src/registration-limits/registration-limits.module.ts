import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthEnv } from '../config/auth.env';
import { RegistrationLimiter } from './registration-limiter';

@Module({
  providers: [
    {
      provide: RegistrationLimiter,
      inject: [DataSource, AuthEnv],
      useFactory: (dataSource: DataSource, config: AuthEnv) =>
        new RegistrationLimiter(dataSource, {
          maxPerAddress: config.REGISTRATION_MAX_ATTEMPTS_PER_ADDRESS,
          windowSeconds: config.REGISTRATION_ATTEMPT_WINDOW_SECONDS,
        }),
    },
  ],
  exports: [RegistrationLimiter],
})
export class RegistrationLimitsModule {}
