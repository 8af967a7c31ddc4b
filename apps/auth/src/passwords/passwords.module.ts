import { Module } from '@nestjs/common';
import { AuthEnv } from '../config/auth.env';
import { PasswordHasher } from './password-hasher';

@Module({
  providers: [
    {
      provide: PasswordHasher,
      inject: [AuthEnv],
      useFactory: (config: AuthEnv) =>
        new PasswordHasher({
          memoryKib: config.ARGON2_MEMORY_KIB,
          timeCost: config.ARGON2_TIME_COST,
          parallelism: config.ARGON2_PARALLELISM,
        }),
    },
  ],
  exports: [PasswordHasher],
})
export class PasswordsModule {}
