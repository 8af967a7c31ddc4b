/**
 * - `pending`: only while the stock reservation is in flight or being recovered;
 * - `confirmed`: the stock is reserved and the prices are snapshotted;
 * - `rejected`: catalog refused the reservation (or it could not complete in time); nothing is reserved;
 * - `cancelled`: was confirmed; its stock is given back (exactly once).
 */
export const ORDER_STATUSES = ['pending', 'confirmed', 'rejected', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * One line of an order, priced when the order was confirmed: later catalog changes don't alter it.
 * A line that was never priced (its order is pending, or was rejected) has only `productId` and
 * `quantity`; `sku`, `name`, `unitPriceCents` and `lineTotalCents` are null.
 */
export interface OrderItemResponse {
  productId: string;
  sku: string | null;
  name: string | null;
  unitPriceCents: number | null;
  quantity: number;
  lineTotalCents: number | null;
}

/** An order as clients see it (docs/api.md#order-routes), and the `data` of every orders event. */
export interface OrderResponse {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderItemResponse[];
  /** Null, like `currency`, when the order was never priced (pending or rejected). */
  totalCents: number | null;
  /** ISO-4217. */
  currency: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The answer to `orders.order.place`: the confirmed order, and whether it was answered from the
 * record of an earlier request with the same Idempotency-Key (`Idempotent-Replayed: true`).
 * Failures are thrown as DomainErrors; a replayed failure carries `details.idempotentReplayed`.
 */
export interface PlaceOrderResult {
  order: OrderResponse;
  replayed: boolean;
}

/** Marks a DomainError answered from an idempotency record rather than by doing the work. */
export const IDEMPOTENT_REPLAY_DETAIL = 'idempotentReplayed';
