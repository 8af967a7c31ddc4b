export * from './domain-error';
export * from './problem';
export * from './rpc-exception.filter';
export * from './rpc-failure';
export * from './validation';
export * from './wire-error';
