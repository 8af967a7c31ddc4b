import { requestFingerprint } from './request-fingerprint';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';

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

  it('is the SHA-256 of the lines as [id, quantity] pairs in id order, as stored keys were written', () => {
    // Fingerprints outlive a deploy (stored with the idempotency key): the form is pinned.
    const stored = '8f9bf8834e08d7b37638cbb212191cc3734935d7bedd740c141629caa2c2d1d2';
    const lines = [
      { productId: A, quantity: 1 },
      { productId: B, quantity: 2 },
      { productId: C, quantity: 3 },
    ];

    expect(requestFingerprint(lines)).toBe(stored);
    expect(requestFingerprint([lines[2], lines[0], lines[1]])).toBe(stored);
    expect(requestFingerprint([lines[1], lines[2], lines[0]])).toBe(stored);
    expect(requestFingerprint([...lines].reverse())).toBe(stored);
  });
});
