import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Logger,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BazaarMetrics } from '../ops/metrics';
import { OutboxBacklogProbe } from './outbox-backlog';
import { EventRetention } from './event-retention';
import { OutboxPruner } from './outbox-pruner';
import { OutboxRelay, OutboxRelaySettings } from './outbox.relay';

const RELAY_SETTINGS = Symbol('RELAY_SETTINGS');

/** The relay's settings, with how long events are kept (outbox rows and the stream's limits). */
export interface OutboxModuleSettings extends Omit<OutboxRelaySettings, 'streamLimits'> {
  retention: EventRetention;
}

/**
 * Runs the relay for the life of the service; it stops after the NATS server has drained. The
 * metrics read the relay's connection and the outbox's backlog meanwhile.
 */
@Injectable()
class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('Outbox');
  private readonly detachProbes: Array<() => void> = [];

  constructor(
    private readonly relay: OutboxRelay,
    private readonly pruner: OutboxPruner,
    private readonly dataSource: DataSource,
    private readonly metrics: BazaarMetrics,
    @Inject(RELAY_SETTINGS) private readonly settings: OutboxRelaySettings,
  ) {}

  onApplicationBootstrap(): void {
    const { dependencies } = this.metrics;
    this.detachProbes.push(
      dependencies.natsConnections.attach(this.relay.connectionProbe()),
      dependencies.streams.attach(this.relay.streamProbe()),
      dependencies.outboxes.attach(new OutboxBacklogProbe(this.settings.service, this.dataSource)),
    );
    // In the background: a service whose NATS is briefly down still starts and catches up later.
    this.relay.start().catch((error: unknown) => this.log.error({ err: error }, 'Outbox relay failed to start'));
    this.pruner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.detachProbes.splice(0).forEach((detach) => detach());
    await Promise.all([this.pruner.stop(), this.relay.stop()]);
  }
}

@Module({})
export class OutboxModule {
  static forRoot({ retention, ...relay }: OutboxModuleSettings): DynamicModule {
    const settings: OutboxRelaySettings = { ...relay, streamLimits: retention.stream };
    return {
      module: OutboxModule,
      global: true,
      providers: [
        { provide: RELAY_SETTINGS, useValue: settings },
        {
          provide: OutboxPruner,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) =>
            new OutboxPruner(dataSource, { retentionMs: retention.outboxRetentionMs }),
        },
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
