import { ReservationResponse, ReservationStatus } from '@app/contracts';
import { ReservationRow } from './reservations.repository';

export function toReservationResponse(row: ReservationRow): ReservationResponse {
  return {
    orderId: row.orderId,
    status: row.status as ReservationStatus,
    lines: row.lines.map((line) => ({
      productId: line.productId,
      sku: line.sku,
      name: line.name,
      unitPriceCents: line.unitPriceCents,
      currency: line.currency,
      quantity: line.quantity,
    })),
    currency: row.currency,
    totalCents: row.lines.reduce((total, line) => total + line.unitPriceCents * line.quantity, 0),
    rejection: row.rejection,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
