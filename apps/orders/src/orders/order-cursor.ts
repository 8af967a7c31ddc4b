import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@app/common';
import { OrderPosition } from './orders.repository';

const VERSION = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidCursor(): DomainError {
  return new DomainError('validation-error', 'The request is invalid', {
    errors: [{ field: 'cursor', message: 'cursor is invalid, or belongs to a different list' }],
  });
}

/**
 * Opaque, tamper-evident cursors of the order list: `base64url(payload).base64url(HMAC-SHA256)`.
 * The payload binds the position to the list it came from (whose orders: one user's, or all), so
 * a cursor can't be replayed against another user's list, and any edit breaks the signature. Every
 * failure is a `validation-error` on `cursor`, never a 500.
 */
export class OrderCursorCodec {
  constructor(private readonly secret: string) {}

  /** `owner`: the user whose orders are listed, or null for every order (admins). */
  encode(owner: string | null, position: OrderPosition): string {
    const payload = Buffer.from(JSON.stringify([VERSION, this.scope(owner), position.createdAt, position.id]));
    const body = payload.toString('base64url');
    return `${body}.${this.sign(body).toString('base64url')}`;
  }

  decode(token: string, owner: string | null): OrderPosition {
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
    const [version, scope, createdAt, id] = parsed as unknown[];
    if (
      version !== VERSION ||
      scope !== this.scope(owner) ||
      typeof createdAt !== 'string' ||
      Number.isNaN(Date.parse(createdAt)) ||
      typeof id !== 'string' ||
      !UUID.test(id)
    ) {
      throw invalidCursor();
    }
    return { createdAt, id };
  }

  private scope(owner: string | null): string {
    return createHash('sha256')
      .update(JSON.stringify(['orders', owner?.toLowerCase() ?? null]))
      .digest('base64url')
      .slice(0, 16);
  }

  private sign(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }
}
