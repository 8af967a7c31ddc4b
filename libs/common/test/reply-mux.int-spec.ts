import { connect, errors as natsErrors, headers, NatsConnection } from '@nats-io/transport-node';
import { PrivateNats, startPrivateNats } from '@test/support/nats-server';
import { ReplyMux } from '../src/messaging/reply-mux';

describe(ReplyMux.name, () => {
  let nats: PrivateNats;
  let client: NatsConnection;
  let responder: NatsConnection;
  let sut: ReplyMux;

  beforeAll(async () => {
    // Request/reply mechanics on subjects of the test's own: an open bus.
    nats = await startPrivateNats({ authorization: false });
    [client, responder] = await Promise.all([connect({ servers: nats.url }), connect({ servers: nats.url })]);
    responder.subscribe('echo', {
      callback: (_error, msg) => {
        msg.respond(`${msg.headers?.get('x-id')}:${msg.string()}`);
      },
    });
    responder.subscribe('slow', {
      callback: (_error, msg) => {
        setTimeout(() => msg.respond('late'), 300);
      },
    });
    await responder.flush();
    sut = new ReplyMux(client, '_INBOX_test');
  });

  afterAll(async () => {
    await responder?.close();
    await client?.close();
    await nats?.dispose();
  });

  it('answers each of many concurrent requests with its own reply, headers included', async () => {
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const h = headers();
        h.set('x-id', `r${i}`);
        return sut.request('echo', `p${i}`, 2000, h);
      }),
    );

    expect(replies.map((reply) => reply.string())).toEqual(Array.from({ length: 200 }, (_, i) => `r${i}:p${i}`));
    expect(sut.inFlight).toBe(0);
  });

  it('rejects with a TimeoutError when no answer comes in time, and keeps serving', async () => {
    await expect(sut.request('slow', 'x', 50)).rejects.toBeInstanceOf(natsErrors.TimeoutError);
    expect(sut.inFlight).toBe(0);
    await expect(sut.request('echo', 'after', 2000).then((reply) => reply.string())).resolves.toBe('undefined:after');
  });

  it('rejects with a NoRespondersError when nobody serves the subject', async () => {
    await expect(sut.request('nobody.here', 'x', 2000)).rejects.toBeInstanceOf(natsErrors.NoRespondersError);
  });

  it('rejects what is pending with a ClosedConnectionError when the connection closes', async () => {
    const own = await connect({ servers: nats.url });
    const mux = new ReplyMux(own, '_INBOX_test');
    const pending = mux.request('slow', 'x', 5000);
    await own.flush();
    await own.close();

    await expect(pending).rejects.toBeInstanceOf(natsErrors.ClosedConnectionError);
    await expect(mux.request('echo', 'x', 1000)).rejects.toBeInstanceOf(natsErrors.ClosedConnectionError);
  });
});
