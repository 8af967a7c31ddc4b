import { ReservationResponse } from '@app/contracts';
import { OrderItem, RequestedLine } from './order.entity';
import { Pricing } from './orders.repository';

/**
 * The order's snapshot from catalog's reservation: each requested line with the sku, name and
 * unit price catalog reserved it at, in the order the client listed the lines.
 */
export function priceOrder(requested: RequestedLine[], reservation: ReservationResponse): Pricing {
  const reserved = new Map(reservation.lines.map((line) => [line.productId.toLowerCase(), line]));
  const items: OrderItem[] = requested.map(({ productId }) => {
    const line = reserved.get(productId.toLowerCase());
    if (!line) {
      throw new Error(`Reservation of order ${reservation.orderId} has no line for product ${productId}`);
    }
    return {
      productId,
      sku: line.sku,
      name: line.name,
      unitPriceCents: line.unitPriceCents,
      quantity: line.quantity,
      lineTotalCents: line.unitPriceCents * line.quantity,
    };
  });
  const currency = reservation.currency ?? reservation.lines[0]?.currency;
  if (!currency) {
    throw new Error(`Reservation of order ${reservation.orderId} has no currency`);
  }
  return { items, totalCents: items.reduce((total, item) => total + item.lineTotalCents, 0), currency };
}
