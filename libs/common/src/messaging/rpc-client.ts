import { BazaarNatsClient } from './bazaar-nats.client';

/** Settings every typed client gets: the shared connection and the per-call timeout. */
export interface RpcClientSettings {
  timeoutMs: number;
}

/**
 * Base of the typed clients (`AuthClient`, `CatalogClient`, ...): each method names a subject
 * constant and the contract types, so no call site sends a string literal or an untyped payload.
 */
export abstract class RpcClient {
  constructor(
    protected readonly nats: BazaarNatsClient,
    protected readonly settings: RpcClientSettings,
  ) {}

  protected call<TResponse>(
    subject: string,
    payload: unknown,
    timeoutMs = this.settings.timeoutMs,
  ): Promise<TResponse> {
    return this.nats.request<TResponse>(subject, payload, timeoutMs);
  }
}
