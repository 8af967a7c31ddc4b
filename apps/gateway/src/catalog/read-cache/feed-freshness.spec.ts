import { FeedFreshness, SILENT_RELAY_FORGET_MS } from './feed-freshness';

describe(FeedFreshness.name, () => {
  let now: number;
  const make = () => new FeedFreshness(() => now);

  beforeEach(() => {
    now = 5_000_000;
  });

  it('is not fresh before any relay has vouched for the feed', () => {
    expect(make().isFresh(1000)).toBe(false);
  });

  it('is fresh while the last heartbeat caught up within the bound, and not after', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now - 200 });

    expect(sut.isFresh(1000)).toBe(true);
    now += 800;
    expect(sut.isFresh(1000)).toBe(true);
    now += 1;
    expect(sut.isFresh(1000)).toBe(false);
  });

  it('trusts only the relay furthest behind', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now - 100 });
    sut.heard({ relay: 'r2', caughtUpAt: now - 1500 });

    expect(sut.caughtUpAt()).toBe(now - 1500);
    expect(sut.isFresh(1000)).toBe(false);
  });

  it('forgets a relay that said goodbye at once, and a silent one after a while', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now });
    sut.heard({ relay: 'r2', caughtUpAt: now - 5000 });
    sut.heard({ relay: 'r3', caughtUpAt: now - 5000 });

    sut.heard({ relay: 'r2', caughtUpAt: now, closing: true });
    expect(sut.caughtUpAt()).toBe(now - 5000);
    now += SILENT_RELAY_FORGET_MS - 1;
    sut.heard({ relay: 'r1', caughtUpAt: now });
    now += 2;

    expect(sut.caughtUpAt()).toBe(now - 2);
  });

  it('ignores a late heartbeat older than one already heard from the same relay', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now - 10 });
    sut.heard({ relay: 'r1', caughtUpAt: now - 5000 });

    expect(sut.caughtUpAt()).toBe(now - 10);
  });

  it('vouches for nothing after a reset (a gap in the subscription)', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now });

    sut.reset();

    expect(sut.isFresh(1000)).toBe(false);
  });

  it('still counts a relay silent for exactly the forget delay, and forgets it a millisecond later', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now - 7 });

    now += SILENT_RELAY_FORGET_MS;
    expect(sut.caughtUpAt()).toBe(now - SILENT_RELAY_FORGET_MS - 7);
    now += 1;
    expect(sut.caughtUpAt()).toBeUndefined();
  });

  it('takes the first heartbeat of a relay as it comes, however old its mark', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: 3 });

    expect(sut.caughtUpAt()).toBe(3);
  });

  it('times a relay from its latest heartbeat, not its first', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now });
    now += SILENT_RELAY_FORGET_MS;
    sut.heard({ relay: 'r1', caughtUpAt: now - 100 });
    now += SILENT_RELAY_FORGET_MS;

    expect(sut.caughtUpAt()).toBe(now - SILENT_RELAY_FORGET_MS - 100);
  });

  it('says goodbye only for the relay that closes', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now - 300 });
    sut.heard({ relay: 'r2', caughtUpAt: now - 100 });

    sut.heard({ relay: 'r1', caughtUpAt: now, closing: true });

    expect(sut.caughtUpAt()).toBe(now - 100);
    expect(sut.isFresh(100)).toBe(true);
    expect(sut.isFresh(99)).toBe(false);
  });

  it('stops counting a closing relay at once, even the one furthest behind', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now - 300 });
    sut.heard({ relay: 'r2', caughtUpAt: now - 100 });

    sut.heard({ relay: 'r1', caughtUpAt: now - 300, closing: true });

    expect(sut.caughtUpAt()).toBe(now - 100);
  });

  it('trusts the relay furthest behind whichever was heard first', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now - 1500 });
    sut.heard({ relay: 'r2', caughtUpAt: now - 100 });
    sut.heard({ relay: 'r3', caughtUpAt: now - 700 });

    expect(sut.caughtUpAt()).toBe(now - 1500);
  });

  it('starts afresh with a relay heard again after it was forgotten for silence', () => {
    const sut = make();
    sut.heard({ relay: 'r1', caughtUpAt: now });
    now += SILENT_RELAY_FORGET_MS + 1;
    expect(sut.caughtUpAt()).toBeUndefined();

    sut.heard({ relay: 'r1', caughtUpAt: now - SILENT_RELAY_FORGET_MS - 500 });

    expect(sut.caughtUpAt()).toBe(now - SILENT_RELAY_FORGET_MS - 500);
  });
});
