import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServiceEnv } from '../config/base.env';
import { PoolStats } from '../ops/dependency-gauges';
import { BazaarMetrics } from '../ops/metrics';
import { ReadinessService } from '../ops/readiness.service';
import { runMigrationsExclusively } from './migrate';
import { pgPoolOf } from './pg-pool';
import { PersistenceSchema, typeormOptions } from './typeorm-options';

const DATABASE_SETTINGS = Symbol('DATABASE_SETTINGS');

interface DatabaseSettings {
  service: string;
  migrationsRun: boolean;
}

/**
 * Migrates (when configured) before the service takes work, reports database readiness, and shows
 * the pool to the metrics (counters pg keeps anyway, read at scrape time).
 */
@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Database');
  private detachPoolProbe?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly readiness: ReadinessService,
    private readonly metrics: BazaarMetrics,
    @Inject(DATABASE_SETTINGS) private readonly settings: DatabaseSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    this.readiness.register('database', async () => {
      await this.dataSource.query('SELECT 1');
      return true;
    });
    this.detachPoolProbe = this.metrics.dependencies.pools.attach({
      poolName: this.settings.service,
      stats: () => this.poolStats(),
    });
    if (this.settings.migrationsRun) {
      const applied = await runMigrationsExclusively(this.dataSource, `bazaar-migrations-${this.settings.service}`);
      if (applied.length > 0) {
        this.log.log(`Applied migrations: ${applied.join(', ')}`);
      }
    }
  }

  onApplicationShutdown(): void {
    this.detachPoolProbe?.();
  }

  private poolStats(): PoolStats | undefined {
    if (!this.dataSource.isInitialized) {
      return undefined;
    }
    const pool = pgPoolOf(this.dataSource);
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
  }
}

@Module({})
export class DatabaseModule {
  static forRoot(service: string, config: ServiceEnv, schema: PersistenceSchema): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...typeormOptions(config, schema), retryAttempts: 20, retryDelay: 1500 }),
        }),
      ],
      providers: [
        DatabaseLifecycle,
        { provide: DATABASE_SETTINGS, useValue: { service, migrationsRun: config.MIGRATIONS_RUN } },
      ],
    };
  }
}
