import type { NatsConnection, Status } from '@nats-io/transport-node';
import { NatsConnectionState } from './nats-connection-state';

/** A connection whose status events the test pushes, one `status()` iterator at a time. */
function scriptedConnection(): { connection: NatsConnection; emit(status: Status): void; close(): void } {
  const queue: Array<IteratorResult<Status>> = [];
  let wake: (() => void) | undefined;
  const push = (result: IteratorResult<Status>): void => {
    queue.push(result);
    wake?.();
  };
  const iterator: AsyncIterableIterator<Status> = {
    [Symbol.asyncIterator]: () => iterator,
    next: async () => {
      while (queue.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
      return queue.shift()!;
    },
  };
  const connection = { status: () => iterator } as unknown as NatsConnection;
  return {
    connection,
    emit: (status) => push({ value: status, done: false }),
    close: () => push({ value: undefined, done: true }),
  };
}

describe(NatsConnectionState.name, () => {
  it('counts a reconnect only when the connection comes back after being down', () => {
    const sut = new NatsConnectionState('orders');

    sut.markUp();
    sut.markUp();
    expect({ up: sut.isConnected(), reconnects: sut.reconnectCount() }).toEqual({ up: true, reconnects: 0 });

    sut.markDown();
    expect(sut.isConnected()).toBe(false);
    sut.markUp();
    expect({ up: sut.isConnected(), reconnects: sut.reconnectCount() }).toEqual({ up: true, reconnects: 1 });
  });

  it('is down until its first connection (a process started while NATS was down)', () => {
    const sut = new NatsConnectionState('orders');

    sut.markDown();
    sut.markUp();

    expect({ up: sut.isConnected(), reconnects: sut.reconnectCount() }).toEqual({ up: true, reconnects: 0 });
  });

  describe('follow', () => {
    it("tracks a nats.js connection's disconnects and reconnects, and ends down when it closes", async () => {
      const sut = new NatsConnectionState('catalog-outbox');
      const scripted = scriptedConnection();

      const following = sut.follow(scripted.connection);
      expect(sut.isConnected()).toBe(true);

      scripted.emit({ type: 'disconnect', server: 'nats://127.0.0.1:4222' });
      await new Promise(setImmediate);
      expect(sut.isConnected()).toBe(false);

      scripted.emit({ type: 'reconnect', server: 'nats://127.0.0.1:4222' });
      await new Promise(setImmediate);
      expect({ up: sut.isConnected(), reconnects: sut.reconnectCount() }).toEqual({ up: true, reconnects: 1 });

      scripted.close();
      await following;
      expect(sut.isConnected()).toBe(false);
    });
  });
});
