export * from './error-catalog';
export * from './field-error';
export * from './wire-error';
