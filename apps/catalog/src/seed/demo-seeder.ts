import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@app/common/outbox';
import { CatalogEnv } from '../config/catalog.env';
import { seedDemoCatalog } from './seed-demo-catalog';

/** With CATALOG_SEED_DEMO=true, seeds an empty catalog once the migrations have run. */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly log = new Logger(DemoSeeder.name);
  /** Nest runs bootstrap hooks twice in a hybrid (HTTP + NATS) app: seed (and log) once. */
  private seeding?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    private readonly config: CatalogEnv,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    this.seeding ??= this.config.CATALOG_SEED_DEMO ? this.seed() : Promise.resolve();
    return this.seeding;
  }

  private async seed(): Promise<void> {
    const inserted = await seedDemoCatalog(this.dataSource);
    if (inserted > 0) {
      this.log.log(`Seeded the demo catalog: ${inserted} products`);
      this.relay.nudge();
    } else {
      this.log.log('Catalog already has products: demo seed skipped');
    }
  }
}
