export * from './event-retention';
export * from './outbox-backlog';
export * from './outbox-pruner';
export * from './outbox.module';
export * from './outbox.relay';
export * from './outbox.schema';
export * from './outbox.writer';
