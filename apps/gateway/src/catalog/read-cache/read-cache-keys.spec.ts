import { ListProductsQuery, Page, ProductResponse } from '@app/contracts';
import { listKey, productKey, productTag, serialisedRead, shapeOf } from './read-cache-keys';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const OTHER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function product(id: string): ProductResponse {
  return {
    id,
    sku: 'MUG-1',
    name: 'Mug',
    description: 'A mug',
    priceCents: 1200,
    currency: 'USD',
    stock: 3,
    category: null,
    createdAt: '2026-11-26T09:30:00.000Z',
    updatedAt: '2026-11-26T09:30:00.000Z',
  };
}

function query(fields: Partial<ListProductsQuery>): ListProductsQuery {
  return Object.assign(new ListProductsQuery(), fields);
}

describe('read cache keys', () => {
  it.each([
    ['upper case', ID.toUpperCase()],
    ['mixed case', '0F8FAD5B-d9cb-469f-A165-70867728950E'],
  ])('files a product id spelled in %s under the key and tag of the lower-case id', (_case, spelled) => {
    expect(productKey(spelled)).toBe(productKey(ID));
    expect(productTag(spelled)).toBe(productTag(ID));
  });

  it('keeps a product entry and a listing tag of the same id apart', () => {
    expect(productKey(ID)).toBe(`p:${ID}`);
    expect(productTag(ID)).toBe(`in:${ID}`);
  });

  describe(listKey.name, () => {
    it('keys the same query written in another parameter order alike', () => {
      const a = query({ q: 'mug', category: 'kitchen', minPrice: 100, maxPrice: 900, sort: 'price_asc', limit: 10 });
      const b = query({ limit: 10, sort: 'price_asc', maxPrice: 900, minPrice: 100, category: 'kitchen', q: 'mug' });

      expect(listKey(a)).toBe(listKey(b));
      expect(listKey(a)).toBe('l:["mug","kitchen",100,900,"price_asc",10,null]');
    });

    it.each<[string, Partial<ListProductsQuery>]>([
      ['q', { q: 'cup' }],
      ['category', { category: 'garden' }],
      ['minPrice', { minPrice: 101 }],
      ['maxPrice', { maxPrice: 901 }],
      ['sort', { sort: 'name' }],
      ['limit', { limit: 11 }],
      ['cursor', { cursor: 'abc.def' }],
    ])('keys queries that differ only in %s apart', (_field, change) => {
      const base = {
        q: 'mug',
        category: 'kitchen',
        minPrice: 100,
        maxPrice: 900,
        sort: 'price_asc',
        limit: 10,
      } as const;

      expect(listKey(query({ ...base, ...change }))).not.toBe(listKey(query(base)));
    });
  });

  describe(serialisedRead.name, () => {
    it("keeps a product as its JSON text, exactly what JSON.stringify (Fastify's serialiser) makes, tagged with nothing", () => {
      const value = product(ID);

      const sut = serialisedRead(value);

      expect(sut).toEqual({ json: JSON.stringify(value), tags: [] });
      expect(JSON.parse(sut.json)).toEqual(value);
    });

    it('tags a listing page as a list and with every product it shows, by lower-case id', () => {
      const page: Page<ProductResponse> = { items: [product(ID.toUpperCase()), product(OTHER)], nextCursor: null };

      expect(serialisedRead(page)).toEqual({
        json: JSON.stringify(page),
        tags: ['list', `in:${ID}`, `in:${OTHER}`],
      });
    });

    it('tags an empty listing page as a list', () => {
      expect(serialisedRead({ items: [], nextCursor: null }).tags).toEqual(['list']);
    });

    it('is not changed by a later change to the answer it was made from', () => {
      const value = product(ID);
      const sut = serialisedRead(value);

      value.stock = -1;

      expect(JSON.parse(sut.json).stock).not.toBe(-1);
    });
  });

  describe(shapeOf.name, () => {
    it('sizes a cached answer by its JSON length and keeps its tags', () => {
      const page: Page<ProductResponse> = { items: [product(OTHER)], nextCursor: null };
      const read = serialisedRead(page);

      expect(shapeOf(read)).toEqual({ bytes: JSON.stringify(page).length, tags: ['list', `in:${OTHER}`] });
    });
  });
});
