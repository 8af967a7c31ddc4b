import type { MessageHandler } from '@nestjs/microservices';
import { isObservable } from 'rxjs';

/** One packet of an answer, in the wire shape Nest's NATS transport uses (`id` added by the sender). */
export interface AnswerPacket {
  response?: unknown;
  err?: unknown;
  isDisposed?: true;
}

/**
 * Runs a request handler Nest registered (its pipes, guards and exception filters included) and
 * hands the packets of its answer to `send`, the last one marked `isDisposed`, as Nest's own
 * transports do. Resolves when the answer is complete, to the error it carried, if any.
 *
 * A handler whose method returns a value or a Promise, which is every Bazaar handler, is answered
 * from the awaited value: no rxjs pipeline per request (Nest's `Server.send` builds one with
 * catchError, finalize and a subscription for every message). An Observable, which is also what a
 * handler's exception filter returns for an error, takes the general path.
 */
export async function answerRequest(
  handler: MessageHandler,
  data: unknown,
  context: unknown,
  send: (packet: AnswerPacket) => void,
): Promise<unknown> {
  const result: unknown = await handler(data, context);
  if (!isObservable(result)) {
    send({ response: result, isDisposed: true });
    return undefined;
  }
  return new Promise<unknown>((resolve) => {
    // Held back one value, so the last can carry isDisposed (one packet for the usual single value).
    let held: AnswerPacket | undefined;
    result.subscribe({
      next: (value) => {
        if (held) {
          send(held);
        }
        held = { response: value };
      },
      error: (err: unknown) => {
        if (held) {
          send(held);
        }
        send({ err, isDisposed: true });
        resolve(err);
      },
      complete: () => {
        send(held ? { ...held, isDisposed: true } : { isDisposed: true });
        resolve(undefined);
      },
    });
  });
}
