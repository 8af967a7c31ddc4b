export * from './auth.client';
export * from './auth.patterns';
