import { requestFingerprint } from './request-fingerprint';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe(requestFingerprint.name, () => {
  it('is the same for the same lines in any order and letter case', () => {
    const sut = requestFingerprint([
      { productId: A, quantity: 1 },
      { productId: B, quantity: 2 },
    ]);

    expect(sut).toMatch(/^[0-9a-f]{64}$/);
    expect(
      requestFingerprint([
        { productId: B.toUpperCase(), quantity: 2 },
        { productId: A, quantity: 1 },
      ]),
    ).toBe(sut);
  });

  it('differs when a quantity, a product or the number of lines differs', () => {
    const sut = requestFingerprint([{ productId: A, quantity: 1 }]);

    expect(requestFingerprint([{ productId: A, quantity: 2 }])).not.toBe(sut);
    expect(requestFingerprint([{ productId: B, quantity: 1 }])).not.toBe(sut);
    expect(
      requestFingerprint([
        { productId: A, quantity: 1 },
        { productId: B, quantity: 1 },
      ]),
    ).not.toBe(sut);
  });
});
