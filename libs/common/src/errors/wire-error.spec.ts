import { DomainError } from './domain-error';
import { fromWireError, isWireError, toWireError } from './wire-error';

describe('wire errors', () => {
  describe(isWireError.name, () => {
    it('recognises {code, message, status} with a catalog code', () => {
      expect(isWireError({ code: 'not-found', message: 'No product p', status: 404 })).toBe(true);
    });

    it.each<[string, unknown]>([
      ['null', null],
      ['a string', 'not-found'],
      ['an unknown code', { code: 'teapot', message: 'x', status: 418 }],
      ['a missing message', { code: 'not-found', status: 404 }],
      ['a message that is not text', { code: 'not-found', message: 404, status: 404 }],
      ['a missing status', { code: 'not-found', message: 'x' }],
      ['a status that is not a number', { code: 'not-found', message: 'x', status: '404' }],
    ])('refuses %s', (_case, value) => {
      expect(isWireError(value)).toBe(false);
    });
  });

  describe(toWireError.name, () => {
    it('sends code, message and status, and no empty extras', () => {
      const sut = toWireError(new DomainError('not-found', 'No product p'));

      expect(sut).toStrictEqual({ code: 'not-found', message: 'No product p', status: 404 });
    });

    it('sends field errors, Retry-After seconds and details when there are any', () => {
      const errors = [{ field: 'lines', message: 'lines must not be empty' }];

      expect(toWireError(new DomainError('validation-error', 'bad', { errors }))).toStrictEqual({
        code: 'validation-error',
        message: 'bad',
        status: 400,
        errors,
      });
      expect(toWireError(new DomainError('rate-limited', 'slow down', { retryAfterSeconds: 0 }))).toStrictEqual({
        code: 'rate-limited',
        message: 'slow down',
        status: 429,
        retryAfterSeconds: 0,
      });
      expect(
        toWireError(new DomainError('insufficient-stock', 'short', { details: { productIds: ['p'] } })),
      ).toStrictEqual({
        code: 'insufficient-stock',
        message: 'short',
        status: 409,
        details: { productIds: ['p'] },
      });
    });
  });

  describe(fromWireError.name, () => {
    it('turns a wire error back into the DomainError it was', () => {
      const wire = {
        code: 'rate-limited' as const,
        message: 'slow down',
        status: 429,
        errors: [{ field: 'email', message: 'too many attempts' }],
        retryAfterSeconds: 30,
        details: { scope: 'email' },
      };

      const sut = fromWireError(wire);

      expect(sut).toBeInstanceOf(DomainError);
      expect(toWireError(sut)).toStrictEqual(wire);
    });
  });
});
