import { RateLimiter } from './rate-limiter';

describe(RateLimiter.name, () => {
  it('allows up to the limit per address per window, then says how long to wait', () => {
    const sut = new RateLimiter(3, 60_000);
    const results = [0, 1, 2, 3].map((i) => sut.hit('10.0.0.1', 1_000 + i));

    expect(results.slice(0, 3).every((r) => r.allowed)).toBe(true);
    expect(results[3]).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('counts each address separately', () => {
    const sut = new RateLimiter(1, 60_000);

    expect(sut.hit('a', 0).allowed).toBe(true);
    expect(sut.hit('b', 0).allowed).toBe(true);
    expect(sut.hit('a', 1).allowed).toBe(false);
  });

  it('starts a new window once the old one has passed', () => {
    const sut = new RateLimiter(1, 60_000);
    sut.hit('a', 0);

    expect(sut.hit('a', 59_999).allowed).toBe(false);
    expect(sut.hit('a', 60_000).allowed).toBe(true);
  });
});
