import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { PRODUCT_SORTS, ProductSort } from '@app/contracts';
import { CatalogStack, startCatalogStack, uniqueSku } from '@test/support/catalog-stack';
import { assertProperty } from '@test/support/property-runs';
import { ProductsService } from '../src/products/products.service';

/** Few distinct prices and names, so sort keys tie often and the id tie-breaker is exercised. */
const newProducts = fc.array(
  fc.record({
    priceCents: fc.constantFrom(100, 200, 250, 999),
    name: fc.constantFrom('mug', 'Mug', 'bowl', 'plate', 'Zebra cup', 'ávila jar'),
  }),
  { maxLength: 3 },
);

const scenarios = fc.record({
  initial: fc.array(newProducts, { minLength: 1, maxLength: 8 }).map((batches) => batches.flat()),
  sort: fc.constantFrom<ProductSort>(...PRODUCT_SORTS),
  limit: fc.integer({ min: 1, max: 7 }),
  /** Products inserted while each page is read (the last batch is reused once they run out). */
  insertsPerPage: fc.array(newProducts, { minLength: 1, maxLength: 10 }),
});

describe('catalog listing: keyset pages under concurrent inserts (property)', () => {
  let stack: CatalogStack;
  let products: ProductsService;

  beforeAll(async () => {
    stack = await startCatalogStack('keyset-pages');
    products = stack.replicas[0].app.get(ProductsService);
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  it('lists every product that existed before the first page exactly once, and nothing twice', async () => {
    let pagesRead = 0;
    await assertProperty(
      fc.asyncProperty(scenarios, async ({ initial, sort, limit, insertsPerPage }) => {
        // A category of its own: the listing sees this run's products only.
        const category = `keyset-${randomBytes(6).toString('hex')}`;
        const create = (product: { priceCents: number; name: string }) =>
          products.create({ sku: uniqueSku('K'), stock: 1, category, ...product });
        const existing: string[] = [];
        for (const product of initial) {
          existing.push((await create(product)).id);
        }

        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; ; page++) {
          const inserts = insertsPerPage[Math.min(page, insertsPerPage.length - 1)];
          const [listed] = await Promise.all([
            products.list({ category, sort, limit, cursor }),
            ...inserts.map((product) => create(product)),
          ]);
          pagesRead++;
          seen.push(...listed.items.map((item) => item.id));
          if (!listed.nextCursor) {
            break;
          }
          cursor = listed.nextCursor;
          // Inserts may keep a page behind forever (price_asc with ever more expensive rows): every
          // run still ends, since each page moves the cursor strictly forward past rows it has seen.
          expect(page).toBeLessThan(200);
        }

        expect(seen.length).toBe(new Set(seen).size);
        expect(existing.filter((id) => !seen.includes(id))).toEqual([]);
      }),
      30,
    );
    expect(pagesRead).toBeGreaterThan(60);
  }, 180_000);
});
