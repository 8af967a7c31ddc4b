export * from './create-logger';
export * from './json-logger';
