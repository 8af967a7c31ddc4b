export * from './signed-cursor';
