import { RpcClient } from '../../messaging/rpc-client';
import { PingResponse } from '../system/ping.response';
import { AUTH_PATTERNS } from './auth.patterns';

/** Typed calls to the auth service. */
export class AuthClient extends RpcClient {
  ping(): Promise<PingResponse> {
    return this.call<PingResponse>(AUTH_PATTERNS.PING, {});
  }
}
