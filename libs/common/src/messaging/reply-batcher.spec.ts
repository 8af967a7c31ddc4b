import type { Msg } from '@nats-io/transport-node';
import { ReplyBatcher } from './reply-batcher';

const turnEnds = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function recordingMsg(log: string[], name: string, fail = false): Msg {
  return {
    respond: (payload: string) => {
      if (fail) {
        throw new Error(`${name} closed`);
      }
      log.push(`${name}:${payload}`);
      return true;
    },
  } as unknown as Msg;
}

describe(ReplyBatcher.name, () => {
  it('holds the replies of one turn and publishes them together, in order, when the turn ends', async () => {
    const published: string[] = [];
    const sut = new ReplyBatcher(() => undefined);

    sut.reply(recordingMsg(published, 'a'), '1');
    await Promise.resolve(); // a microtask checkpoint is not the end of the turn
    sut.reply(recordingMsg(published, 'b'), '2');
    expect(published).toEqual([]);

    await turnEnds();

    expect(published).toEqual(['a:1', 'b:2']);
  });

  it('publishes everything queued at once when flushed (before a drain)', () => {
    const published: string[] = [];
    const sut = new ReplyBatcher(() => undefined);
    sut.reply(recordingMsg(published, 'a'), '1');

    sut.flush();

    expect(published).toEqual(['a:1']);
  });

  it('reports a reply it cannot publish and still publishes the others', async () => {
    const published: string[] = [];
    const failures: unknown[] = [];
    const sut = new ReplyBatcher((error) => failures.push(error));

    sut.reply(recordingMsg(published, 'gone', true), '1');
    sut.reply(recordingMsg(published, 'b'), '2');
    await turnEnds();

    expect(published).toEqual(['b:2']);
    expect(failures).toEqual([expect.objectContaining({ message: 'gone closed' })]);
  });
});
