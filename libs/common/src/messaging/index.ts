export * from './bazaar-nats.client';
export * from './bazaar-nats.server';
export * from './bus-policy';
export * from './messaging-client.module';
export * from './nats-connection-options';
export * from './nats-connection-state';
export * from './nats-headers';
export * from './rpc-client';
