import { ReservationResponse } from '@app/contracts';
import { priceOrder } from './order-pricing';

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

const reservation: ReservationResponse = {
  orderId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  status: 'reserved',
  currency: 'EUR',
  totalCents: 3 * 250 + 2 * 1000,
  rejection: null,
  lines: [
    { productId: A, sku: 'A-1', name: 'Cup', unitPriceCents: 250, currency: 'EUR', quantity: 3 },
    { productId: B, sku: 'B-1', name: 'Pot', unitPriceCents: 1000, currency: 'EUR', quantity: 2 },
  ],
  createdAt: '2026-11-26T09:30:00.000Z',
  updatedAt: '2026-11-26T09:30:00.000Z',
};

describe(priceOrder.name, () => {
  it('prices each line as reserved, in the order the client listed them, and totals them', () => {
    const sut = priceOrder(
      [
        { productId: B, quantity: 2 },
        { productId: A, quantity: 3 },
      ],
      reservation,
    );

    expect(sut).toEqual({
      items: [
        { productId: B, sku: 'B-1', name: 'Pot', unitPriceCents: 1000, quantity: 2, lineTotalCents: 2000 },
        { productId: A, sku: 'A-1', name: 'Cup', unitPriceCents: 250, quantity: 3, lineTotalCents: 750 },
      ],
      totalCents: 2750,
      currency: 'EUR',
    });
  });

  it('refuses a reservation that lacks a requested line instead of confirming a partial order', () => {
    expect(() => priceOrder([{ productId: '0f8fad5b-0000-4000-8000-000000000009', quantity: 1 }], reservation)).toThrow(
      /has no line/,
    );
  });
});
