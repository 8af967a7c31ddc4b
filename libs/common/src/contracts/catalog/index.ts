export * from './catalog.client';
export * from './catalog.patterns';
