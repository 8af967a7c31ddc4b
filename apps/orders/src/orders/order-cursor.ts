import { invalidCursor, SignedCursorCodec } from '@app/common/pagination';
import { OrderPosition } from './orders.repository';

/**
 * Cursors of the order list: signed, and bound to the list they came from (whose orders: one
 * user's, or all), so a cursor can't be replayed against another user's list (see SignedCursorCodec).
 */
export class OrderCursorCodec {
  private readonly codec: SignedCursorCodec;

  constructor(secret: string) {
    this.codec = new SignedCursorCodec(secret);
  }

  /** `owner`: the user whose orders are listed, or null for every order (admins). */
  encode(owner: string | null, position: OrderPosition): string {
    return this.codec.encode(this.scope(owner), { key: position.createdAt, id: position.id });
  }

  decode(token: string, owner: string | null): OrderPosition {
    const { key, id } = this.codec.decode(token, this.scope(owner));
    if (typeof key !== 'string' || Number.isNaN(Date.parse(key))) {
      throw invalidCursor();
    }
    return { createdAt: key, id };
  }

  private scope(owner: string | null): unknown[] {
    return ['orders', owner?.toLowerCase() ?? null];
  }
}
