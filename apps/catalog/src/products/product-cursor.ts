import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, ListProductsQuery, ProductSort } from '@app/common';

/** Where a page ended: the sort key of its last row and that row's id (the tie-breaker). */
export interface CursorPosition {
  key: string | number;
  id: string;
}

const VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidCursor(): DomainError {
  return new DomainError('validation-error', 'The request is invalid', {
    errors: [{ field: 'cursor', message: 'cursor is invalid, or belongs to a different query' }],
  });
}

/**
 * Opaque, tamper-evident listing cursors: `base64url(payload).base64url(HMAC-SHA256(payload))`.
 * The payload binds the position to the query it came from (sort and filters), so a cursor
 * can't be replayed against another query, and any edit breaks the signature. Every failure is
 * a `validation-error` on `cursor`, never a 500.
 */
export class ProductCursorCodec {
  constructor(private readonly secret: string) {}

  encode(query: ListProductsQuery, sort: ProductSort, position: CursorPosition): string {
    const payload = Buffer.from(JSON.stringify([VERSION, this.scope(query, sort), position.key, position.id]));
    const body = payload.toString('base64url');
    return `${body}.${this.sign(body).toString('base64url')}`;
  }

  decode(token: string, query: ListProductsQuery, sort: ProductSort): CursorPosition {
    const [body, signature, ...rest] = token.split('.');
    if (!body || !signature || rest.length > 0) {
      throw invalidCursor();
    }
    const expected = this.sign(body);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw invalidCursor();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) {
      throw invalidCursor();
    }
    const [version, scope, key, id] = parsed as unknown[];
    if (version !== VERSION || scope !== this.scope(query, sort) || typeof id !== 'string' || !UUID.test(id)) {
      throw invalidCursor();
    }
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

  /** A short digest of what the cursor is valid for. */
  private scope(query: ListProductsQuery, sort: ProductSort): string {
    const filters = [sort, query.q ?? null, query.category ?? null, query.minPrice ?? null, query.maxPrice ?? null];
    return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 16);
  }

  private sign(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }
}
