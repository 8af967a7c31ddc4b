import { LoggerService } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { EventEmitter } from 'node:events';
import { NatsConnectionState } from './nats-connection-state';

/** The events a Nest NATS transport lets callers `on()` (the names Nest's own NATS transport uses). */
export type NatsTransportEvent = 'disconnect' | 'reconnect' | 'update';
export type NatsTransportEvents = Record<NatsTransportEvent, (...args: unknown[]) => void>;

/** What one connection's status loop reports to its transport (Nest's `status` stream names). */
export type NatsTransportStatus = 'connected' | 'disconnected' | 'reconnecting';

/**
 * Follows a nats.js connection's `status()` until the connection closes, with the same log lines
 * and `on()` events as Nest's NATS transports, keeping `state` (readiness, metrics) up to date.
 * Shared by BazaarNatsServer and BazaarNatsClient, through nats.js's public status iterator.
 */
export async function followNatsStatus(
  connection: NatsConnection,
  state: NatsConnectionState,
  log: LoggerService,
  events: EventEmitter,
  report: (status: NatsTransportStatus) => void,
): Promise<void> {
  state.markUp();
  report('connected');
  try {
    for await (const status of connection.status()) {
      switch (status.type) {
        case 'disconnect':
          state.markDown();
          log.error(`NatsError: type: "${status.type}".`);
          report('disconnected');
          events.emit('disconnect', status.server);
          break;
        case 'reconnecting':
          report('reconnecting');
          break;
        case 'reconnect':
          state.markUp();
          log.log(`NatsStatus: type: "${status.type}".`);
          report('connected');
          events.emit('reconnect', status.server);
          break;
        case 'error':
          log.error(`NatsError: type: "${status.type}", error: "${String(status.error)}".`);
          break;
        case 'update':
          events.emit('update', { added: status.added, deleted: status.deleted });
          break;
        case 'ping':
        case 'staleConnection':
        case 'forceReconnect':
        case 'slowConsumer':
        case 'ldm':
        case 'close':
          break; // nothing to change: nats.js reconnects by itself, and the loop ends with the connection
      }
    }
  } catch {
    // The iterator ends with the connection; either way it is down from here on.
  } finally {
    state.markDown();
    report('disconnected');
  }
}
