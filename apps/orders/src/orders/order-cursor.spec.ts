import { DomainError } from '@app/common/errors';
import { OrderCursorCodec } from './order-cursor';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const USER = '1c6b8a2e-4d3f-4a5b-9c7d-2e1f0a9b8c7d';
const POSITION = { createdAt: '2026-11-26T09:30:00.123Z', id: ID };

function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the cursor to be rejected');
}

describe(OrderCursorCodec.name, () => {
  const sut = new OrderCursorCodec('unit-test-secret-0123456789abcdef0123');

  it('reads back the position it wrote, for one user’s list and for everyone’s', () => {
    expect(sut.decode(sut.encode(USER, POSITION), USER)).toEqual(POSITION);
    expect(sut.decode(sut.encode(null, POSITION), null)).toEqual(POSITION);
  });

  it('is opaque and url-safe: the token does not show whose list it is', () => {
    const token = sut.encode(USER, POSITION);

    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(Buffer.from(token.split('.')[0], 'base64url').toString()).not.toContain(USER);
  });

  it('rejects a cursor of another list: another user’s, or everyone’s', () => {
    const token = sut.encode(USER, POSITION);

    expect(rejection(() => sut.decode(token, '2c6b8a2e-4d3f-4a5b-9c7d-2e1f0a9b8c7d')).code).toBe('validation-error');
    expect(rejection(() => sut.decode(token, null)).code).toBe('validation-error');
  });

  it('rejects an edited payload and a token signed with another secret, as a validation error on cursor', () => {
    const token = sut.encode(USER, POSITION);
    const [, signature] = token.split('.');
    const edited = Buffer.from(JSON.stringify([1, 'x', '2999-01-01T00:00:00.000Z', ID])).toString('base64url');
    const foreign = new OrderCursorCodec('another-secret-0123456789abcdef0123456').encode(USER, POSITION);

    const error = rejection(() => sut.decode(`${edited}.${signature}`, USER));

    expect(error).toBeInstanceOf(DomainError);
    expect(error.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    expect(rejection(() => sut.decode(foreign, USER)).code).toBe('validation-error');
  });

  it.each(['', 'garbage', 'a.b.c', '.', '!!!.???', 'eyJ9.', `${'A'.repeat(400)}.${'B'.repeat(43)}`])(
    'rejects the malformed cursor %j without throwing anything else',
    (token) => {
      expect(rejection(() => sut.decode(token, USER)).code).toBe('validation-error');
    },
  );
});
