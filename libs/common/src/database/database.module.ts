import { DynamicModule, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServiceEnv } from '../config/base.env';
import { ReadinessService } from '../ops/readiness.service';
import { runMigrationsExclusively } from './migrate';
import { PersistenceSchema, typeormOptions } from './typeorm-options';

const DATABASE_SETTINGS = Symbol('DATABASE_SETTINGS');

interface DatabaseSettings {
  service: string;
  migrationsRun: boolean;
}

/** Migrates (when configured) before the service takes work, and reports database readiness. */
@Injectable()
class DatabaseLifecycle implements OnModuleInit {
  private readonly log = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    private readonly readiness: ReadinessService,
    @Inject(DATABASE_SETTINGS) private readonly settings: DatabaseSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    this.readiness.register('database', async () => {
      await this.dataSource.query('SELECT 1');
      return true;
    });
    if (this.settings.migrationsRun) {
      const applied = await runMigrationsExclusively(this.dataSource, `bazaar-migrations-${this.settings.service}`);
      if (applied.length > 0) {
        this.log.log(`Applied migrations: ${applied.join(', ')}`);
      }
    }
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
