export * from '../system/ping.response';
export * from './page';
export * from './empty-payload';
