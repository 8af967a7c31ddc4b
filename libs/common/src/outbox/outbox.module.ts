import {
  DynamicModule,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Logger,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay, OutboxRelaySettings } from './outbox.relay';

const RELAY_SETTINGS = Symbol('RELAY_SETTINGS');

/** Runs the relay for the life of the service; it stops after the NATS server has drained. */
@Injectable()
class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Outbox');

  constructor(private readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    // In the background: a service whose NATS is briefly down still starts and catches up later.
    this.relay.start().catch((error: unknown) => this.log.error({ err: error }, 'Outbox relay failed to start'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

@Module({})
export class OutboxModule {
  static forRoot(settings: OutboxRelaySettings): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        { provide: RELAY_SETTINGS, useValue: settings },
        {
          provide: OutboxRelay,
          inject: [DataSource, RELAY_SETTINGS],
          useFactory: (dataSource: DataSource, relaySettings: OutboxRelaySettings) =>
            new OutboxRelay(dataSource, relaySettings),
        },
        OutboxRelayLifecycle,
      ],
      exports: [OutboxRelay],
    };
  }
}
