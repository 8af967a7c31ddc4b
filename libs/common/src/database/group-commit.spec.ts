import { GroupCommit, GroupCommitOptions, MemberResult } from './group-commit';

/** A write the test finishes by hand, so it can hold a batch "in flight". */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const turnEnds = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function recorder(overrides: Partial<GroupCommitOptions<number, string>> = {}) {
  const batches: number[][] = [];
  const singles: number[] = [];
  const sut = new GroupCommit<number, string>({
    maxBatch: 10,
    writeBatch: (items) => {
      batches.push(items);
      return Promise.resolve(items.map((item): MemberResult<string> => ({ value: `b${item}` })));
    },
    writeOne: (item) => {
      singles.push(item);
      return Promise.resolve(`s${item}`);
    },
    ...overrides,
  });
  return { sut, batches, singles };
}

describe(GroupCommit.name, () => {
  it('writes the calls of one turn as one batch and answers each caller its own result', async () => {
    const { sut, batches, singles } = recorder();

    const answers = await Promise.all([1, 2, 3].map((n) => sut.submit(n)));

    expect(batches).toEqual([[1, 2, 3]]);
    expect(singles).toEqual([]);
    expect(answers).toEqual(['b1', 'b2', 'b3']);
  });

  it('writes a lone call on the plain path', async () => {
    const { sut, batches, singles } = recorder();

    await expect(sut.submit(7)).resolves.toBe('s7');

    expect(batches).toEqual([]);
    expect(singles).toEqual([7]);
  });

  it('collects what arrives while a batch is being written into the next batch', async () => {
    const first = gate();
    const batches: number[][] = [];
    const sut = new GroupCommit<number, number>({
      maxBatch: 10,
      writeBatch: async (items) => {
        batches.push(items);
        if (batches.length === 1) {
          await first.opened;
        }
        return items.map((value) => ({ value }));
      },
      writeOne: (item) => Promise.resolve(item),
    });
    const early = [sut.submit(1), sut.submit(2)];
    await turnEnds();
    const late = [sut.submit(3), sut.submit(4)];
    await turnEnds();
    const late2 = sut.submit(5);
    await turnEnds();
    expect(batches).toEqual([[1, 2]]); // the later calls wait for the batch in flight

    first.open();

    await expect(Promise.all([...early, ...late, late2])).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('never writes more than maxBatch members together, oldest first', async () => {
    const { sut, batches } = recorder({ maxBatch: 2 });

    await Promise.all([1, 2, 3, 4, 5].map((n) => sut.submit(n)));

    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('keeps a second member with the same key for the next batch, without passing over it later', async () => {
    const { sut, batches, singles } = recorder({ keysOf: (n) => [String(n % 2)] });

    await Promise.all([1, 3, 2, 5, 4].map((n) => sut.submit(n)));

    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(singles).toEqual([5]);
  });

  it('writes a member sharing a key with the batch at once on the plain path when told to', async () => {
    const { sut, batches, singles } = recorder({ keysOf: (n) => [String(n % 2), `n${n}`], onSharedKey: 'alone' });

    const answers = await Promise.all([1, 3, 2, 5, 4].map((n) => sut.submit(n)));

    expect(batches).toEqual([[1, 2]]);
    expect(singles).toEqual([3, 5, 4]);
    expect(answers).toEqual(['b1', 's3', 'b2', 's5', 's4']);
  });

  it('answers a member its own error while the others of the batch get their values', async () => {
    const { sut } = recorder({
      writeBatch: (items) =>
        Promise.resolve(items.map((n) => (n === 2 ? { error: new Error('two refused') } : { value: `b${n}` }))),
    });

    const answers = await Promise.allSettled([1, 2, 3].map((n) => sut.submit(n)));

    expect(answers).toEqual([
      { status: 'fulfilled', value: 'b1' },
      { status: 'rejected', reason: new Error('two refused') },
      { status: 'fulfilled', value: 'b3' },
    ]);
  });

  it('runs the members of a failed batch one by one, so one bad member fails alone with its own error', async () => {
    const failures: number[] = [];
    const { sut, singles } = recorder({
      writeBatch: () => Promise.reject(new Error('deadlock detected')),
      writeOne: (n) => (n === 2 ? Promise.reject(new Error('two violates a constraint')) : Promise.resolve(`s${n}`)),
      onBatchFailure: (_error, size) => failures.push(size),
    });

    const answers = await Promise.allSettled([1, 2, 3].map((n) => sut.submit(n)));

    expect(answers).toEqual([
      { status: 'fulfilled', value: 's1' },
      { status: 'rejected', reason: new Error('two violates a constraint') },
      { status: 'fulfilled', value: 's3' },
    ]);
    expect(failures).toEqual([3]);
    expect(singles).toEqual([]); // the recorder's own writeOne was replaced
  });

  it('treats a batch that answers the wrong number of results as failed', async () => {
    const { sut, singles } = recorder({ writeBatch: () => Promise.resolve([{ value: 'only one' }]) });

    await expect(Promise.all([1, 2].map((n) => sut.submit(n)))).resolves.toEqual(['s1', 's2']);
    expect(singles).toEqual([1, 2]);
  });

  it('writes up to maxInFlight batches at once', async () => {
    const hold = gate();
    let concurrent = 0;
    let most = 0;
    const sut = new GroupCommit<number, number>({
      maxBatch: 2,
      maxInFlight: 2,
      writeBatch: async (items) => {
        most = Math.max(most, ++concurrent);
        await hold.opened;
        concurrent--;
        return items.map((value) => ({ value }));
      },
      writeOne: (item) => Promise.resolve(item),
    });
    const answers = Promise.all([1, 2, 3, 4, 5, 6].map((n) => sut.submit(n)));
    await turnEnds();
    hold.open();

    await expect(answers).resolves.toEqual([1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
  });

  it('with maxBatch 1 is the plain path, call by call', async () => {
    const { sut, batches, singles } = recorder({ maxBatch: 1 });

    await Promise.all([1, 2].map((n) => sut.submit(n)));

    expect(batches).toEqual([]);
    expect(singles).toEqual([1, 2]);
  });
});
