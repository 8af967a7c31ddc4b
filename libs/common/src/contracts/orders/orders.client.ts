import { RpcClient } from '../../messaging/rpc-client';
import { PingResponse } from '../system/ping.response';
import { ORDERS_PATTERNS } from './orders.patterns';

/** Typed calls to the orders service. */
export class OrdersClient extends RpcClient {
  ping(): Promise<PingResponse> {
    return this.call<PingResponse>(ORDERS_PATTERNS.PING, {});
  }
}
