import fc from 'fast-check';
import { assertProperty } from '@test/support/property-runs';
import { requestFingerprint } from './request-fingerprint';

/** Distinct products (as orders accepts them), each with a quantity. */
const requests = fc.uniqueArray(fc.record({ productId: fc.uuid(), quantity: fc.integer({ min: 1, max: 1000 }) }), {
  minLength: 1,
  maxLength: 6,
  selector: (line) => line.productId.toLowerCase(),
});

const canonical = (lines: Array<{ productId: string; quantity: number }>): string =>
  JSON.stringify(lines.map((line) => [line.productId.toLowerCase(), line.quantity]).sort());

describe(`${requestFingerprint.name} (property)`, () => {
  it('is the same for the same lines listed in any order and spelled in any letter case', async () => {
    await assertProperty(
      fc.property(
        requests.chain((lines) =>
          fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length })),
        ),
        fc.boolean(),
        ([lines, shuffled], upper) => {
          const respelled = shuffled.map((line) => ({
            ...line,
            productId: upper ? line.productId.toUpperCase() : line.productId,
          }));
          expect(requestFingerprint(respelled)).toBe(requestFingerprint(lines));
        },
      ),
      200,
    );
  });

  it('differs whenever the lines differ as a set of (product, quantity)', async () => {
    await assertProperty(
      fc.property(requests, requests, (a, b) => {
        fc.pre(canonical(a) !== canonical(b));
        expect(requestFingerprint(a)).not.toBe(requestFingerprint(b));
      }),
      200,
    );
  });
});
