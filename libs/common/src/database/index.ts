export * from './database-errors';
export * from './database.module';
export * from './ensure-database';
export * from './migrate';
export * from './pg-pool';
export * from './typeorm-options';
export * from './sql';
export * from './constraint-violations';
