import { MessageHandler, Server, WritePacket } from '@nestjs/microservices';
import { EMPTY, from, Observable, of, throwError } from 'rxjs';
import { AnswerPacket, answerRequest } from './handler-answer';

/** Nest's own request path (`Server.send` over `transformToObservable`), as ServerNats runs it. */
class NestServer extends Server {
  listen(): void {}
  close(): void {}
  on(): void {}
  unwrap<T>(): T {
    return undefined as T;
  }

  answer(handler: MessageHandler, data: unknown): Promise<WritePacket[]> {
    return new Promise((resolve) => {
      const sent: WritePacket[] = [];
      void Promise.resolve(handler(data, undefined)).then((result) => {
        this.send(this.transformToObservable(result), (packet) => {
          sent.push(packet);
          if (packet.isDisposed) {
            resolve(sent);
          }
        });
      });
    });
  }
}

const handlerOf = (fn: (data: unknown) => unknown): MessageHandler => fn as unknown as MessageHandler;

async function oursFor(handler: MessageHandler, data: unknown): Promise<{ packets: AnswerPacket[]; err: unknown }> {
  const packets: AnswerPacket[] = [];
  const err = await answerRequest(handler, data, undefined, (packet) => packets.push(packet));
  return { packets, err };
}

describe(answerRequest.name, () => {
  const wire = { code: 'not-found', message: 'No such product', status: 404 };
  const cases: Array<[string, MessageHandler]> = [
    ['a plain value', handlerOf((data) => ({ echoed: data }))],
    ['a resolved Promise', handlerOf(async (data) => Promise.resolve({ echoed: data }))],
    ['a Promise of null', handlerOf(async () => Promise.resolve(null))],
    ['an Observable of one value', handlerOf((data) => of({ echoed: data }))],
    ['an Observable of two values', handlerOf(() => from([1, 2]))],
    ['an empty Observable', handlerOf(() => EMPTY)],
    // What an exception filter (RpcErrorFilter) hands back for a handler's error.
    ['an erroring Observable', handlerOf(() => throwError(() => wire))],
    ['a value then an error', handlerOf(() => new Observable((s) => (s.next(1), s.error(wire))))],
  ];

  it.each(cases)('answers %s with exactly the packets Nest’s NATS server sends', async (_kind, handler) => {
    const nest = await new NestServer().answer(handler, 'x');

    const { packets } = await oursFor(handler, 'x');

    expect(packets).toEqual(nest);
  });

  it('answers a Promise without subscribing to anything, in one packet', async () => {
    const { packets, err } = await oursFor(
      handlerOf(async () => Promise.resolve(7)),
      undefined,
    );

    expect(packets).toEqual([{ response: 7, isDisposed: true }]);
    expect(err).toBeUndefined();
  });

  it('resolves to the error the answer carried, for the metrics and logs', async () => {
    const { err } = await oursFor(
      handlerOf(() => throwError(() => wire)),
      undefined,
    );

    expect(err).toBe(wire);
  });
});
