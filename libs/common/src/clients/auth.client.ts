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
  AuthRpc,
} from '@app/contracts';

/** The reply a subject declares in the contract (AuthRpc): each method below returns exactly that. */
type Reply<S extends keyof AuthRpc> = AuthRpc[S]['response'];

/** Typed calls to the auth service. */
export class AuthClient extends RpcClient {
  ping(): Promise<PingResponse> {
    return this.call<Reply<typeof AUTH_PATTERNS.PING>>(AUTH_PATTERNS.PING, {});
  }

  register(command: RegisterCommand): Promise<UserResponse> {
    return this.call<Reply<typeof AUTH_PATTERNS.REGISTER>>(AUTH_PATTERNS.REGISTER, command);
  }

  login(command: LoginCommand): Promise<TokensResponse> {
    return this.call<Reply<typeof AUTH_PATTERNS.LOGIN>>(AUTH_PATTERNS.LOGIN, command);
  }

  refresh(request: RefreshTokenRequest): Promise<TokensResponse> {
    return this.call<Reply<typeof AUTH_PATTERNS.REFRESH>>(AUTH_PATTERNS.REFRESH, request);
  }

  async logout(request: RefreshTokenRequest): Promise<void> {
    await this.call<Reply<typeof AUTH_PATTERNS.LOGOUT>>(AUTH_PATTERNS.LOGOUT, request);
  }

  getUser(request: UserIdRequest): Promise<UserResponse> {
    return this.call<Reply<typeof AUTH_PATTERNS.GET_USER>>(AUTH_PATTERNS.GET_USER, request);
  }

  jwks(): Promise<JwksResponse> {
    return this.call<Reply<typeof AUTH_PATTERNS.GET_JWKS>>(AUTH_PATTERNS.GET_JWKS, {});
  }
}
