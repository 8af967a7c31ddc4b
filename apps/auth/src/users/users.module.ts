import { Module } from '@nestjs/common';
import { PasswordsModule } from '../passwords/passwords.module';
import { RegistrationLimitsModule } from '../registration-limits/registration-limits.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [PasswordsModule, RegistrationLimitsModule],
  controllers: [UsersController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
