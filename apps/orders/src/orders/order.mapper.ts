import { OrderItemResponse, OrderResponse } from '@app/contracts';
import { OrderItem, RequestedLine } from './order.entity';
import { OrderRow } from './orders.repository';

function toItemResponse(item: OrderItem): OrderItemResponse {
  return {
    productId: item.productId,
    sku: item.sku,
    name: item.name,
    unitPriceCents: item.unitPriceCents,
    quantity: item.quantity,
    lineTotalCents: item.lineTotalCents,
  };
}

/** A line never priced (the order is pending, or was rejected): only what the client asked. */
function toUnpricedItemResponse(line: RequestedLine): OrderItemResponse {
  return {
    productId: line.productId,
    sku: null,
    name: null,
    unitPriceCents: null,
    quantity: line.quantity,
    lineTotalCents: null,
  };
}

/** The one way an order leaves the service: named fields only, so nothing internal can leak. */
export function toOrderResponse(row: OrderRow): OrderResponse {
  const priced = row.status === 'confirmed' || row.status === 'cancelled';
  return {
    id: row.id,
    userId: row.userId,
    status: row.status,
    items: priced ? row.items.map(toItemResponse) : row.requested.map(toUnpricedItemResponse),
    totalCents: priced ? Number(row.totalCents) : null,
    currency: priced ? row.currency : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The body `POST /v1/orders` answered when the order was confirmed, rebuilt for an idempotent
 * replay: the order as it was then, even if it has been cancelled since.
 */
export function toPlacedOrderResponse(row: OrderRow): OrderResponse {
  const response = toOrderResponse(row);
  return row.confirmedAt ? { ...response, status: 'confirmed', updatedAt: row.confirmedAt.toISOString() } : response;
}
