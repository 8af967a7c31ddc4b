import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthClient } from '@app/common/clients';
import { Public } from '@app/common/http';
import { LoginRequest, RefreshTokenRequest, RegisterRequest, TokensResponse, UserResponse } from '@app/contracts';
import { CurrentUser } from './current-user.decorator';
import { Principal } from './principal';
import { ApiProblems } from '../docs/problem-responses';
import { AUTH_PROBLEMS, TokensView, UserView } from './auth.openapi';

/** The auth routes (docs/api.md#auth-routes): validate, call the auth service, return. */
@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthClient) {}

  @Public()
  @Post('register')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'register',
    summary: 'Create a customer account',
    description:
      'Registration always creates a `customer`. Each client address gets 50 registration attempts (created or ' +
      'conflict alike) within 15 minutes; further attempts get 429 with Retry-After until the window passes.',
  })
  @ApiCreatedResponse({ type: UserView, description: 'The new user' })
  @ApiProblems(AUTH_PROBLEMS, 'validation-error', 'payload-too-large', 'conflict')
  register(@Body() body: RegisterRequest, @Ip() clientAddress: string): Promise<UserResponse> {
    return this.auth.register({ email: body.email, password: body.password, name: body.name, clientAddress });
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'login',
    summary: 'Log in',
    description:
      'Wrong password and unknown email give the same 401. After 5 failed logins for one email, or 50 from one ' +
      'client address, within 15 minutes, further attempts get 429 with Retry-After until the window passes.',
  })
  @ApiOkResponse({ type: TokensView })
  @ApiProblems(AUTH_PROBLEMS, 'validation-error', 'payload-too-large', 'unauthorized')
  login(@Body() body: LoginRequest, @Ip() clientAddress: string): Promise<TokensResponse> {
    return this.auth.login({ email: body.email, password: body.password, clientAddress });
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'refreshTokens',
    summary: 'Exchange a refresh token for a new token pair',
    description:
      'The refresh token is single use. Presenting one that was already used revokes every token of its ' +
      'login (reuse detection) and answers 401; of two concurrent refreshes with the same token, one succeeds. ' +
      'A session ends 30 days (by default) after its login however often it refreshes: then 401, log in again.',
  })
  @ApiOkResponse({ type: TokensView })
  @ApiProblems(AUTH_PROBLEMS, 'validation-error', 'payload-too-large', 'unauthorized')
  refresh(@Body() body: RefreshTokenRequest): Promise<TokensResponse> {
    return this.auth.refresh(body);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'logout',
    summary: 'Log out',
    description: 'Revokes the refresh token and every token of its login. Unknown tokens are ignored.',
  })
  @ApiNoContentResponse({ description: 'Logged out' })
  @ApiProblems(AUTH_PROBLEMS, 'validation-error', 'payload-too-large')
  async logout(@Body() body: RefreshTokenRequest): Promise<void> {
    await this.auth.logout(body);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'getMe', summary: 'The authenticated user' })
  @ApiOkResponse({ type: UserView })
  @ApiProblems(AUTH_PROBLEMS, 'unauthorized', 'not-found')
  me(@CurrentUser() principal: Principal): Promise<UserResponse> {
    return this.auth.getUser({ userId: principal.userId });
  }
}
