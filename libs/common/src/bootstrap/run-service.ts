import { DynamicModule, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceEnv } from '../config/base.env';
import { runMigrationsExclusively } from '../database/migrate';
import { PersistenceSchema, typeormOptions } from '../database/typeorm-options';
import { exitGracefullyOnSignals } from './graceful-shutdown';
import { runProcess } from './run-process';
import { createServiceApp, startServiceApp } from './service-app';

export interface ServiceDefinition<T extends ServiceEnv> {
  service: string;
  envClass: new () => T;
  module: (config: T) => DynamicModule;
  schema: PersistenceSchema;
}

/**
 * The main of every NATS service. `node main.js --migrate-only` applies pending migrations (under
 * the same advisory lock) and exits: what a deployment's migration Job runs.
 */
export function runService<T extends ServiceEnv>(definition: ServiceDefinition<T>): void {
  runProcess(definition.service, definition.envClass, async (config, logger) => {
    if (process.argv.includes('--migrate-only')) {
      const dataSource = await new DataSource(typeormOptions(config, definition.schema)).initialize();
      const applied = await runMigrationsExclusively(dataSource, `bazaar-migrations-${definition.service}`);
      await dataSource.destroy();
      new Logger('Migrations').log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply');
      process.exit(0);
    }
    const service = await createServiceApp({
      service: definition.service,
      config,
      module: definition.module(config),
      logger,
    });
    exitGracefullyOnSignals(service.app, config.SHUTDOWN_GRACE_MS);
    await startServiceApp(service, config.OPS_PORT);
  });
}
