import { Module } from '@nestjs/common';
import { LoginLimitsModule } from '../login-limits/login-limits.module';
import { RegistrationLimitsModule } from '../registration-limits/registration-limits.module';
import { SessionsModule } from '../sessions/sessions.module';
import { HousekeepingService } from './housekeeping.service';

@Module({ imports: [LoginLimitsModule, RegistrationLimitsModule, SessionsModule], providers: [HousekeepingService] })
export class HousekeepingModule {}
