import { WireError } from '../errors/wire-error';

/** One reserved line, priced when it was reserved: later catalog changes don't alter it. */
export interface ReservedLine {
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  currency: string;
  quantity: number;
}

/**
 * - `reserved`: the stock is held for the order.
 * - `released`: the stock was returned (or, when `lines` is empty, the order was released before
 *   any reserve got through, which fences off a late reserve with the same order id).
 * - `rejected`: the reserve failed with `rejection` and took nothing; repeating it fails the same way.
 */
export type ReservationStatus = 'reserved' | 'released' | 'rejected';

export interface ReservationResponse {
  orderId: string;
  status: ReservationStatus;
  lines: ReservedLine[];
  /** Currency of every line; null when nothing was ever reserved. */
  currency: string | null;
  totalCents: number;
  rejection: WireError | null;
  createdAt: string;
  updatedAt: string;
}
