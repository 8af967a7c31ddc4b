import { DomainError } from '@app/common/errors';
import { canonicalLines, rejectionOf, sameLines } from './reservation-rules';
import { StockRow } from './stock.repository';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';
const C = 'cccccccc-0000-4000-8000-000000000003';

function product(id: string, stock: number, currency = 'USD'): StockRow {
  return { id, sku: `sku-${id.slice(0, 4)}`, name: 'Product', priceCents: 100, currency, stock };
}

describe('reservation rules', () => {
  describe(canonicalLines.name, () => {
    it('sorts by product id and lower-cases ids, so the same lines in any order compare equal', () => {
      const sut = canonicalLines([
        { productId: B.toUpperCase(), quantity: 2 },
        { productId: A, quantity: 1 },
      ]);

      expect(sut).toEqual([
        { productId: A, quantity: 1 },
        { productId: B, quantity: 2 },
      ]);
      expect(
        sameLines(
          sut,
          canonicalLines([
            { productId: A, quantity: 1 },
            { productId: B, quantity: 2 },
          ]),
        ),
      ).toBe(true);
      expect(
        sameLines(
          sut,
          canonicalLines([
            { productId: A, quantity: 1 },
            { productId: B, quantity: 3 },
          ]),
        ),
      ).toBe(false);
    });

    it('keeps lines already in id order, and sorts lines in any other order', () => {
      const sorted = [A, B, C].map((productId, quantity) => ({ productId, quantity }));

      expect(canonicalLines(sorted)).toEqual(sorted);
      expect(canonicalLines([...sorted].reverse())).toEqual(sorted);
      expect(canonicalLines([sorted[1], sorted[2], sorted[0]])).toEqual(sorted);
    });

    it('keeps only the product id and the quantity of a line', () => {
      const line = { productId: A, quantity: 2, priceCents: 100 };

      expect(canonicalLines([line])).toEqual([{ productId: A, quantity: 2 }]);
    });

    it('rejects the same product named twice in different letter cases as a validation error on lines', () => {
      const refusal = (): unknown => {
        try {
          canonicalLines([
            { productId: A, quantity: 1 },
            { productId: A.toUpperCase(), quantity: 1 },
          ]);
        } catch (error) {
          return error;
        }
        return undefined;
      };

      const sut = refusal();

      expect(sut).toBeInstanceOf(DomainError);
      expect(sut).toMatchObject({ code: 'validation-error', message: 'The request is invalid', status: 400 });
      expect((sut as DomainError).errors).toEqual([
        { field: 'lines', message: `lines must name distinct products (${A} repeats)` },
      ]);
    });

    it('names the first product the request repeats, in the order it was written, not in id order', () => {
      const [low, high] = [A, B].sort();
      const lines = [high, low, high, low].map((productId) => ({ productId, quantity: 1 }));

      expect(() => canonicalLines(lines)).toThrow(
        expect.objectContaining({
          errors: [{ field: 'lines', message: `lines must name distinct products (${high} repeats)` }],
        }),
      );
    });
  });

  describe(sameLines.name, () => {
    const lines = [
      { productId: A, quantity: 1 },
      { productId: B, quantity: 2 },
    ];

    it('holds for equal lines, element by element', () => {
      expect(
        sameLines(
          lines,
          lines.map((line) => ({ ...line })),
        ),
      ).toBe(true);
      expect(sameLines([], [])).toBe(true);
    });

    it('fails when one request has more lines than the other', () => {
      expect(sameLines(lines.slice(0, 1), lines)).toBe(false);
      expect(sameLines(lines, lines.slice(0, 1))).toBe(false);
    });

    it('fails when a line names another product, or the same product with another quantity', () => {
      expect(sameLines(lines, [lines[0], { productId: C, quantity: 2 }])).toBe(false);
      expect(sameLines(lines, [lines[0], { productId: B, quantity: 3 }])).toBe(false);
      expect(sameLines(lines, [{ productId: C, quantity: 1 }, lines[1]])).toBe(false);
    });
  });

  describe(rejectionOf.name, () => {
    it('accepts lines that every product can serve', () => {
      expect(rejectionOf([{ productId: A, quantity: 5 }], [product(A, 5)])).toBeUndefined();
    });

    it('names every missing (or archived) product as unknown-product, before anything else', () => {
      const sut = rejectionOf(
        [
          { productId: A, quantity: 9 },
          { productId: B, quantity: 1 },
          { productId: C, quantity: 1 },
        ],
        [product(A, 1, 'EUR')],
      );

      expect(sut?.code).toBe('unknown-product');
      expect(sut?.details).toEqual({ productIds: [B, C] });
    });

    it('refuses mixed currencies before looking at stock', () => {
      const sut = rejectionOf(
        [
          { productId: A, quantity: 9 },
          { productId: B, quantity: 1 },
        ],
        [product(A, 0, 'USD'), product(B, 5, 'EUR')],
      );

      expect(sut?.code).toBe('mixed-currency');
      expect(sut?.details).toEqual({ currencies: ['EUR', 'USD'] });
    });

    it('names every short product as insufficient-stock', () => {
      const sut = rejectionOf(
        [
          { productId: A, quantity: 2 },
          { productId: B, quantity: 1 },
          { productId: C, quantity: 4 },
        ],
        [product(A, 1), product(B, 1), product(C, 3)],
      );

      expect(sut?.code).toBe('insufficient-stock');
      expect(sut?.details).toEqual({ productIds: [A, C] });
    });
  });

  describe('refusal messages', () => {
    it('names the products or currencies in the message of each refusal', () => {
      expect(
        rejectionOf(
          [
            { productId: A, quantity: 1 },
            { productId: B, quantity: 1 },
          ],
          [],
        )?.message,
      ).toBe(`Unknown or archived product(s): ${A}, ${B}`);
      expect(
        rejectionOf(
          [
            { productId: A, quantity: 1 },
            { productId: B, quantity: 1 },
          ],
          [product(A, 1, 'USD'), product(B, 1, 'EUR')],
        )?.message,
      ).toBe('The lines mix currencies: EUR, USD');
      expect(
        rejectionOf(
          [
            { productId: A, quantity: 2 },
            { productId: B, quantity: 2 },
          ],
          [product(A, 1), product(B, 1)],
        )?.message,
      ).toBe(`Not enough stock for product(s): ${A}, ${B}`);
    });
  });
});
