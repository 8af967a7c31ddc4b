import { TurnBatcher } from './turn-batcher';

const turnEnds = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Records what it is asked to send; an item named `gone…` fails as a closed connection would. */
function recordingBatcher(sent: string[], failures: Array<{ error: unknown; item: string }> = []): TurnBatcher<string> {
  return new TurnBatcher<string>(
    (item) => {
      if (item.startsWith('gone')) {
        throw new Error(`${item} closed`);
      }
      sent.push(item);
    },
    (error, item) => failures.push({ error, item }),
  );
}

describe(TurnBatcher.name, () => {
  it('holds the items of one turn and sends them together, in order, when the turn ends', async () => {
    const sent: string[] = [];
    const sut = recordingBatcher(sent);

    sut.add('a');
    await Promise.resolve(); // a microtask checkpoint is not the end of the turn
    sut.add('b');
    expect(sent).toEqual([]);

    await turnEnds();

    expect(sent).toEqual(['a', 'b']);
  });

  it('starts a new batch for what is added after a flush', async () => {
    const sent: string[] = [];
    const sut = recordingBatcher(sent);
    sut.add('a');
    await turnEnds();

    sut.add('b');
    expect(sent).toEqual(['a']);
    await turnEnds();

    expect(sent).toEqual(['a', 'b']);
  });

  it('sends everything queued at once when flushed (before a drain)', () => {
    const sent: string[] = [];
    const sut = recordingBatcher(sent);
    sut.add('a');

    sut.flush();

    expect(sent).toEqual(['a']);
  });

  it('reports an item it cannot send, with the item, and still sends the others', async () => {
    const sent: string[] = [];
    const failures: Array<{ error: unknown; item: string }> = [];
    const sut = recordingBatcher(sent, failures);

    sut.add('gone');
    sut.add('b');
    await turnEnds();

    expect(sent).toEqual(['b']);
    expect(failures).toEqual([{ error: expect.objectContaining({ message: 'gone closed' }), item: 'gone' }]);
  });
});
