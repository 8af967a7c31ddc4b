import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AUTH_PATTERNS, LoginCommand, RefreshTokenRequest, TokensResponse } from '@app/contracts';
import { SessionsService } from './sessions.service';

@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @MessagePattern(AUTH_PATTERNS.LOGIN)
  login(@Payload() command: LoginCommand): Promise<TokensResponse> {
    return this.sessions.login(command);
  }

  @MessagePattern(AUTH_PATTERNS.REFRESH)
  refresh(@Payload() request: RefreshTokenRequest): Promise<TokensResponse> {
    return this.sessions.refresh(request);
  }

  @MessagePattern(AUTH_PATTERNS.LOGOUT)
  logout(@Payload() request: RefreshTokenRequest): Promise<void> {
    return this.sessions.logout(request);
  }
}
