import { invalidCursor, SignedCursorCodec } from '@app/common/pagination';
import { ListProductsQuery, ProductSort } from '@app/contracts';

/** Where a page ended: the sort key of its last row and that row's id (the tie-breaker). */
export interface CursorPosition {
  key: string | number;
  id: string;
}

/**
 * Listing cursors: signed, and bound to the sort and filters they came from (see
 * SignedCursorCodec), with a key of the type the sort expects.
 */
export class ProductCursorCodec {
  private readonly codec: SignedCursorCodec;

  constructor(secret: string) {
    this.codec = new SignedCursorCodec(secret);
  }

  encode(query: ListProductsQuery, sort: ProductSort, position: CursorPosition): string {
    return this.codec.encode(this.scope(query, sort), position);
  }

  decode(token: string, query: ListProductsQuery, sort: ProductSort): CursorPosition {
    const { key, id } = this.codec.decode(token, this.scope(query, sort));
    if (!this.keyFits(sort, key)) {
      throw invalidCursor();
    }
    return { key: key as string | number, id };
  }

  private keyFits(sort: ProductSort, key: unknown): boolean {
    switch (sort) {
      case 'newest':
        return typeof key === 'string' && !Number.isNaN(Date.parse(key));
      case 'price_asc':
      case 'price_desc':
        return Number.isSafeInteger(key);
      case 'name':
        return typeof key === 'string';
    }
  }

  private scope(query: ListProductsQuery, sort: ProductSort): unknown[] {
    return [sort, query.q ?? null, query.category ?? null, query.minPrice ?? null, query.maxPrice ?? null];
  }
}
