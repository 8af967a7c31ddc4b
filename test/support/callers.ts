import { BazaarMetrics } from '@app/common/ops';
import { BazaarNatsClient, BusIdentity, callersOf } from '@app/common/messaging';
import { PrivateNats } from './nats-server';

/**
 * One typed client for a test that plays every caller of a service: each subject is requested as
 * an identity the bus policy lets call it (the gateway for public subjects, orders for catalog's
 * stock subjects), over that identity's own connection, so the test passes through the same
 * permissions and caller checks as production. Hand it to any typed client (`new CatalogClient(...)`).
 */
export class PolicyCallers {
  private readonly clients = new Map<BusIdentity, BazaarNatsClient>();

  constructor(
    private readonly nats: PrivateNats,
    private readonly label: string,
  ) {}

  /** A BazaarNatsClient stand-in whose `request` picks the caller per subject. */
  asNatsClient(): BazaarNatsClient {
    const request = <T>(subject: string, data: unknown, timeoutMs: number): Promise<T> =>
      this.clientFor(subject).request<T>(subject, data, timeoutMs);
    return { request } as BazaarNatsClient;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }

  private clientFor(subject: string): BazaarNatsClient {
    const [identity] = callersOf(subject);
    if (!identity) {
      throw new Error(`No identity may call ${subject} (libs/common/src/messaging/bus-policy.ts)`);
    }
    let client = this.clients.get(identity);
    if (!client) {
      client = new BazaarNatsClient(
        this.nats.bus(identity),
        `${this.label}-as-${identity}`,
        new BazaarMetrics(`${this.label}-test`),
      );
      this.clients.set(identity, client);
    }
    return client;
  }
}
