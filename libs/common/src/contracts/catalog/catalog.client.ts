import { RpcClient } from '../../messaging/rpc-client';
import { PingResponse } from '../system/ping.response';
import { CATALOG_PATTERNS } from './catalog.patterns';

/** Typed calls to the catalog service. */
export class CatalogClient extends RpcClient {
  ping(): Promise<PingResponse> {
    return this.call<PingResponse>(CATALOG_PATTERNS.PING, {});
  }
}
