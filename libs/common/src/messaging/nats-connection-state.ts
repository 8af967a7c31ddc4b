import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsConnectionProbe } from '../ops/dependency-gauges';

/**
 * Whether one NATS connection is up, and how many times it came back: kept from the connection's
 * own status events (no polling), read by the metrics at scrape time.
 */
export class NatsConnectionState implements NatsConnectionProbe {
  private up = false;
  private everUp = false;
  private reconnects = 0;

  constructor(readonly connectionName: string) {}

  markUp(): void {
    if (this.everUp && !this.up) {
      this.reconnects++;
    }
    this.up = true;
    this.everUp = true;
  }

  markDown(): void {
    this.up = false;
  }

  isConnected(): boolean {
    return this.up;
  }

  reconnectCount(): number {
    return this.reconnects;
  }

  /**
   * Follows a nats.js connection that has just connected, until it closes. nats.js hands every
   * `status()` iterator every event, so this runs beside the owner's own status loop.
   */
  async follow(connection: NatsConnection): Promise<void> {
    this.markUp();
    try {
      for await (const status of connection.status()) {
        if (status.type === 'disconnect') {
          this.markDown();
        } else if (status.type === 'reconnect') {
          this.markUp();
        }
      }
    } catch {
      // The iterator ends with the connection; either way, it is down from here on.
    } finally {
      this.markDown();
    }
  }
}
