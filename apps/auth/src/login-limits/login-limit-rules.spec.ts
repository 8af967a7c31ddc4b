import { DomainError } from '@app/common';
import { tooManyAttempts } from './attempt-window';

describe(tooManyAttempts.name, () => {
  it('is a 429 rate-limited error asking for the longest of the waits', () => {
    const sut = tooManyAttempts('Too many', [0, 840, 12]);

    expect(sut).toBeInstanceOf(DomainError);
    expect(sut).toMatchObject({ code: 'rate-limited', status: 429, retryAfterSeconds: 840, message: 'Too many' });
  });

  it('never asks for less than a second, so Retry-After is never 0', () => {
    expect(tooManyAttempts('Too many', [0]).retryAfterSeconds).toBe(1);
    expect(tooManyAttempts('Too many', [-3]).retryAfterSeconds).toBe(1);
    expect(tooManyAttempts('Too many', []).retryAfterSeconds).toBe(1);
  });
});
