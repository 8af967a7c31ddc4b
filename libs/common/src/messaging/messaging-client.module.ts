import {
  DynamicModule,
  Global,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Type,
} from '@nestjs/common';
import { BaseEnv } from '../config/base.env';
import { BazaarMetrics } from '../ops/metrics';
import { ReadinessService } from '../ops/readiness.service';
import { BazaarNatsClient } from './bazaar-nats.client';
import { BusConnection, busConnectionFrom } from './nats-connection-options';

/** Injection token of the process's {@link BusConnection} (for connections of its own, like a feed). */
export const BUS_CONNECTION = Symbol('BUS_CONNECTION');
import { RpcClient, RpcClientSettings } from './rpc-client';

/**
 * Connects in the background (a process whose NATS is down still starts, live but not ready) and
 * drains on shutdown, after the HTTP server has finished the requests in flight.
 */
@Injectable()
class NatsClientLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('NatsClient');
  private detachProbe?: () => void;

  constructor(
    private readonly client: BazaarNatsClient,
    private readonly readiness: ReadinessService,
    private readonly metrics: BazaarMetrics,
  ) {}

  onApplicationBootstrap(): void {
    // Named apart from a NATS server's own check: a service with both must report both.
    this.readiness.register('nats-client', () => this.client.isConnected());
    this.detachProbe = this.metrics.dependencies.natsConnections.attach(this.client.connectionProbe());
    this.client.connect().catch((error: unknown) => this.log.error({ err: error }, 'NATS connection failed'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.detachProbe?.();
    await this.client.close();
  }
}

type RpcClientClass = Type<RpcClient> & (new (nats: BazaarNatsClient, settings: RpcClientSettings) => RpcClient);

@Global()
@Module({})
export class MessagingClientModule {
  static forRoot(name: string, config: BaseEnv, clients: RpcClientClass[]): DynamicModule {
    const settings: RpcClientSettings = { timeoutMs: config.RPC_TIMEOUT_MS };
    return {
      module: MessagingClientModule,
      providers: [
        { provide: BUS_CONNECTION, useValue: busConnectionFrom(config, name) },
        {
          provide: BazaarNatsClient,
          inject: [BazaarMetrics, BUS_CONNECTION],
          useFactory: (metrics: BazaarMetrics, bus: BusConnection) => new BazaarNatsClient(bus, name, metrics),
        },
        NatsClientLifecycle,
        ...clients.map((client) => ({
          provide: client,
          inject: [BazaarNatsClient],
          useFactory: (nats: BazaarNatsClient) => new client(nats, settings),
        })),
      ],
      exports: [BUS_CONNECTION, BazaarNatsClient, ...clients],
    };
  }
}
