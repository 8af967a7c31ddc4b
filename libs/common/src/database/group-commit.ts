/** One member's answer from a batch write: its own value, or its own error. */
export type MemberResult<O> = { value: O } | { error: unknown };

export interface GroupCommitOptions<I, O> {
  /** Most members written together; 1 turns batching off (every call is `writeOne`, today's path). */
  maxBatch: number;
  /** Batches being written at once (each holds one pool connection). */
  maxInFlight?: number;
  /**
   * Members sharing a key never share a batch, so the members of one batch are independent (a
   * customer's orders are judged one batch after the other). What happens to the later one: see
   * `onSharedKey`.
   */
  keysOf?: (item: I) => readonly string[];
  /**
   * `defer` (the default): it waits for a later batch. `alone`: it is written at once on the plain
   * path, beside the batch, for keys that are hot spots (one product every order wants): a batch
   * would hold that row for all its members, where plain statements hold it one at a time.
   */
  onSharedKey?: 'defer' | 'alone';
  /** Writes the batch, answering one result per member in the batch's order. */
  writeBatch: (items: I[]) => Promise<Array<MemberResult<O>>>;
  /** The plain path of one member: used when batching is off, for a lone member and when a batch fails. */
  writeOne: (item: I) => Promise<O>;
  /** Told when a batch failed as a whole (its members then run one by one). */
  onBatchFailure?: (error: unknown, size: number) => void;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: calls that arrive in the same event-loop turn, or while a batch is being written,
 * are written together as the next batch (one statement or one transaction, one WAL flush),
 * instead of one commit each. Each caller gets its own result or error. If the batch as a whole
 * fails (a deadlock, one member violating a constraint), its members are written one by one on
 * the plain path, so one bad member can't fail the others and each error is exactly the one the
 * plain path would raise. Members are taken first come first served, so none waits longer than
 * the batches ahead of it.
 */
export class GroupCommit<I, O> {
  private readonly queue: Array<Pending<I, O>> = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxInFlight: number;

  constructor(private readonly options: GroupCommitOptions<I, O>) {
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
      throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
  }

  submit(item: I): Promise<O> {
    if (this.options.maxBatch === 1) {
      return this.options.writeOne(item);
    }
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Waits for the rest of this turn, so that what arrives together leaves together. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.startBatches();
      });
    }
  }

  /** The oldest members, at most `maxBatch`, none sharing a key; the rest keep their places. */
  private take(): Array<Pending<I, O>> {
    const { keysOf, maxBatch, onSharedKey = 'defer' } = this.options;
    if (!keysOf) {
      return this.queue.splice(0, maxBatch);
    }
    const taken = new Set<string>();
    const batch: Array<Pending<I, O>> = [];
    for (let i = 0; i < this.queue.length && batch.length < maxBatch;) {
      const keys = keysOf(this.queue[i].item);
      if (!keys.some((key) => taken.has(key))) {
        keys.forEach((key) => taken.add(key));
        batch.push(...this.queue.splice(i, 1));
      } else if (onSharedKey === 'alone') {
        void this.writeAlone(this.queue.splice(i, 1)[0]);
      } else {
        i++;
      }
    }
    return batch;
  }

  private async write(batch: Array<Pending<I, O>>): Promise<void> {
    if (batch.length === 1) {
      return this.writeAlone(batch[0]);
    }
    let results: Array<MemberResult<O>>;
    try {
      results = await this.options.writeBatch(batch.map((member) => member.item));
      if (results.length !== batch.length) {
        throw new Error(`A batch of ${batch.length} answered ${results.length} results`);
      }
    } catch (error) {
      this.options.onBatchFailure?.(error, batch.length);
      await Promise.all(batch.map((member) => this.writeAlone(member)));
      return;
    }
    results.forEach((result, i) => {
      if ('error' in result) {
        batch[i].reject(result.error);
      } else {
        batch[i].resolve(result.value);
      }
    });
  }

  private async writeAlone(member: Pending<I, O>): Promise<void> {
    try {
      member.resolve(await this.options.writeOne(member.item));
    } catch (error) {
      member.reject(error);
    }
  }
}
