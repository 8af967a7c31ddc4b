import { Module } from '@nestjs/common';
import { AuthEnv } from '../config/auth.env';
import { PasswordsModule } from '../passwords/passwords.module';
import { SessionsModule } from '../sessions/sessions.module';
import { ADMIN_ACCOUNT, AdminAccount, AdminBootstrapService } from './admin-bootstrap.service';

/** The bootstrap admin of ADMIN_EMAIL / ADMIN_PASSWORD, ensured at every start. */
@Module({
  imports: [PasswordsModule, SessionsModule],
  providers: [
    AdminBootstrapService,
    {
      provide: ADMIN_ACCOUNT,
      inject: [AuthEnv],
      useFactory: (config: AuthEnv): AdminAccount | undefined =>
        config.ADMIN_EMAIL !== undefined && config.ADMIN_PASSWORD !== undefined
          ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }
          : undefined,
    },
  ],
})
export class AdminModule {}
