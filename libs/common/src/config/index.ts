export * from './base.env';
export * from './env-decorators';
export * from './validate-env';
export * from './env.module';
