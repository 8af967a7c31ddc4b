import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AUTH_PATTERNS, RegisterCommand, UserIdRequest, UserResponse } from '@app/contracts';
import { UsersService } from './users.service';

@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @MessagePattern(AUTH_PATTERNS.REGISTER)
  register(@Payload() command: RegisterCommand): Promise<UserResponse> {
    return this.users.register(command);
  }

  @MessagePattern(AUTH_PATTERNS.GET_USER)
  get(@Payload() request: UserIdRequest): Promise<UserResponse> {
    return this.users.get(request.userId);
  }
}
