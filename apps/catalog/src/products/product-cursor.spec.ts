import { DomainError } from '@app/common/errors';
import { ListProductsQuery } from '@app/contracts';
import { ProductCursorCodec } from './product-cursor';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the cursor to be rejected');
}

describe(ProductCursorCodec.name, () => {
  const sut = new ProductCursorCodec('unit-test-secret-0123456789abcdef0123');
  const query: ListProductsQuery = { category: 'kitchen', minPrice: 100 };

  it('reads back the position it wrote, for every sort', () => {
    const positions = {
      newest: { key: '2026-01-02T03:04:05.678Z', id: ID },
      price_asc: { key: 1999, id: ID },
      price_desc: { key: 0, id: ID },
      name: { key: 'stoneware mug', id: ID },
    } as const;
    for (const [sort, position] of Object.entries(positions)) {
      const token = sut.encode(query, sort as keyof typeof positions, position);
      expect(sut.decode(token, query, sort as keyof typeof positions)).toEqual(position);
    }
  });

  it('is opaque: the token is url-safe and does not show the filters', () => {
    const token = sut.encode(query, 'name', { key: 'mug', id: ID });

    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('kitchen');
  });

  it('rejects a token whose payload was edited, as a validation error on cursor', () => {
    const token = sut.encode(query, 'price_asc', { key: 1999, id: ID });
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify([1, 'x', 0, ID])).toString('base64url');
    const error = rejection(() => sut.decode(`${forged}.${signature}`, query, 'price_asc'));

    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('validation-error');
    expect(error.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('rejects a token signed with another secret', () => {
    const other = new ProductCursorCodec('another-secret-0123456789abcdef0123456');
    const token = other.encode(query, 'newest', { key: '2026-01-02T03:04:05.678Z', id: ID });

    expect(rejection(() => sut.decode(token, query, 'newest')).code).toBe('validation-error');
  });

  it('rejects a cursor used with another sort or other filters', () => {
    const token = sut.encode(query, 'price_asc', { key: 1999, id: ID });

    expect(rejection(() => sut.decode(token, query, 'price_desc')).code).toBe('validation-error');
    expect(rejection(() => sut.decode(token, { ...query, maxPrice: 5000 }, 'price_asc')).code).toBe('validation-error');
  });

  it.each(['', 'garbage', 'a.b.c', '.', '!!!.???', 'eyJ9.', `${'A'.repeat(400)}.${'B'.repeat(43)}`])(
    'rejects the malformed cursor %j without throwing anything else',
    (token) => {
      expect(rejection(() => sut.decode(token, query, 'newest')).code).toBe('validation-error');
    },
  );
});
