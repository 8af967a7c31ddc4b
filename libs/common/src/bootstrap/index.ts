export * from './graceful-shutdown';
export * from './process-logger';
export * from './run-process';
export * from './run-service';
export * from './service-app';
