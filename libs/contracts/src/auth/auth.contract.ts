import { EmptyPayload } from '../shared/empty-payload';
import { PingResponse } from '../system/ping.response';
import { AUTH_EVENTS, UserRegisteredEvent } from './auth.events';
import { AUTH_PATTERNS } from './auth.patterns';
import { JwksResponse } from './jwks.response';
import { LoginCommand } from './login.request';
import { RefreshTokenRequest } from './refresh-token.request';
import { RegisterCommand } from './register.request';
import { TokensResponse } from './tokens.response';
import { UserIdRequest } from './user-id.request';
import { UserResponse } from './user.response';

/** Every subject the auth service answers: the payload it accepts and what it replies. */
export interface AuthRpc {
  [AUTH_PATTERNS.PING]: { request: EmptyPayload; response: PingResponse };
  [AUTH_PATTERNS.REGISTER]: { request: RegisterCommand; response: UserResponse };
  [AUTH_PATTERNS.GET_USER]: { request: UserIdRequest; response: UserResponse };
  [AUTH_PATTERNS.LOGIN]: { request: LoginCommand; response: TokensResponse };
  [AUTH_PATTERNS.REFRESH]: { request: RefreshTokenRequest; response: TokensResponse };
  [AUTH_PATTERNS.LOGOUT]: { request: RefreshTokenRequest; response: null };
  [AUTH_PATTERNS.GET_JWKS]: { request: EmptyPayload; response: JwksResponse };
}

/** Every event the auth service publishes: the `data` of its envelope. */
export interface AuthEvents {
  [AUTH_EVENTS.USER_REGISTERED]: UserRegisteredEvent;
}
