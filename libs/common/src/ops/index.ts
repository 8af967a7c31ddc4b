export * from './dependency-gauges';
export * from './metrics';
export * from './ops.module';
export * from './ping.controller';
export * from './readiness.service';
