export * from '../system/ping.response';
export * from './page';
export * from './page-request';
export * from './page-rules';
export * from './empty-payload';
