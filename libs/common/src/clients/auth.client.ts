import { RpcClient } from '../messaging/rpc-client';
import {
  AUTH_PATTERNS,
  JwksResponse,
  LoginCommand,
  PingResponse,
  RefreshTokenRequest,
  RegisterCommand,
  TokensResponse,
  UserIdRequest,
  UserResponse,
} from '@app/contracts';

/** Typed calls to the auth service. */
export class AuthClient extends RpcClient {
  ping(): Promise<PingResponse> {
    return this.call<PingResponse>(AUTH_PATTERNS.PING, {});
  }

  register(command: RegisterCommand): Promise<UserResponse> {
    return this.call<UserResponse>(AUTH_PATTERNS.REGISTER, command);
  }

  login(command: LoginCommand): Promise<TokensResponse> {
    return this.call<TokensResponse>(AUTH_PATTERNS.LOGIN, command);
  }

  refresh(request: RefreshTokenRequest): Promise<TokensResponse> {
    return this.call<TokensResponse>(AUTH_PATTERNS.REFRESH, request);
  }

  async logout(request: RefreshTokenRequest): Promise<void> {
    await this.call<null>(AUTH_PATTERNS.LOGOUT, request);
  }

  getUser(request: UserIdRequest): Promise<UserResponse> {
    return this.call<UserResponse>(AUTH_PATTERNS.GET_USER, request);
  }

  jwks(): Promise<JwksResponse> {
    return this.call<JwksResponse>(AUTH_PATTERNS.GET_JWKS, {});
  }
}
