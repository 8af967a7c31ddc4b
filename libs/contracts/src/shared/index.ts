export * from '../system/ping.response';
export * from './page';
