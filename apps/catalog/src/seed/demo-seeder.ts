import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@app/common';
import { seedDemoCatalog } from './seed-demo-catalog';

export const SEED_DEMO = Symbol('SEED_DEMO');

/** With CATALOG_SEED_DEMO=true, seeds an empty catalog once the migrations have run. */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly log = new Logger(DemoSeeder.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(SEED_DEMO) private readonly enabled: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) {
      return;
    }
    const inserted = await seedDemoCatalog(this.dataSource);
    if (inserted > 0) {
      this.log.log(`Seeded the demo catalog: ${inserted} products`);
      this.relay.nudge();
    } else {
      this.log.log('Catalog already has products: demo seed skipped');
    }
  }
}
