import { ERROR_CATALOG, ErrorCode, isErrorCode, statusOf } from '@app/contracts';
import { DomainError } from './domain-error';

describe(DomainError.name, () => {
  it('carries its code, the status the catalog gives that code, and its message', () => {
    const sut = new DomainError('unit-quota-exceeded', 'Too many units');

    expect(sut).toBeInstanceOf(Error);
    expect(sut).toMatchObject({ name: 'DomainError', code: 'unit-quota-exceeded', status: 409 });
    expect(sut.message).toBe('Too many units');
  });

  it('has no cause, field errors, wait or details unless given', () => {
    const sut = new DomainError('not-found', 'No product p');

    expect('cause' in sut).toBe(false);
    expect(sut.errors).toBeUndefined();
    expect(sut.retryAfterSeconds).toBeUndefined();
    expect(sut.details).toBeUndefined();
  });

  it('keeps what it is given', () => {
    const cause = new Error('socket hang up');
    const errors = [{ field: 'email', message: 'email must be an email' }];

    const sut = new DomainError('rate-limited', 'slow down', {
      cause,
      errors,
      retryAfterSeconds: 7,
      details: { scope: 'email' },
    });

    expect(sut.cause).toBe(cause);
    expect(sut).toMatchObject({ errors, retryAfterSeconds: 7, details: { scope: 'email' } });
  });

  it('takes every code of the catalog, with the catalog status', () => {
    for (const code of Object.keys(ERROR_CATALOG) as ErrorCode[]) {
      expect(new DomainError(code, 'x').status).toBe(ERROR_CATALOG[code].status);
      expect(statusOf(code)).toBe(ERROR_CATALOG[code].status);
    }
  });
});

describe(isErrorCode.name, () => {
  it('knows the codes of the catalog and nothing else', () => {
    expect(isErrorCode('conflict')).toBe(true);
    expect(isErrorCode('teapot')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });

  it('takes only text: not a value that merely prints as a code', () => {
    expect(isErrorCode(['conflict'])).toBe(false);
    expect(isErrorCode({ toString: () => 'conflict' })).toBe(false);
  });
});
