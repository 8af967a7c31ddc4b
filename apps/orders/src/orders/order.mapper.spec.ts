import { OrderRow } from './orders.repository';
import { toOrderResponse, toPlacedOrderResponse } from './order.mapper';

const P = 'aaaaaaaa-0000-4000-8000-000000000001';

function row(overrides: Partial<OrderRow>): OrderRow {
  return {
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    userId: '1c6b8a2e-4d3f-4a5b-9c7d-2e1f0a9b8c7d',
    status: 'confirmed',
    requested: [{ productId: P, quantity: 2 }],
    items: [{ productId: P, sku: 'S', name: 'N', unitPriceCents: 5, quantity: 2, lineTotalCents: 10 }],
    totalCents: '10',
    currency: 'USD',
    rejection: null,
    stockRelease: null,
    recoveryAttempts: 0,
    nextRecoveryAt: null,
    createdAt: new Date('2026-11-26T09:30:00.000Z'),
    updatedAt: new Date('2026-11-26T09:30:00.200Z'),
    confirmedAt: new Date('2026-11-26T09:30:00.100Z'),
    ...overrides,
  };
}

describe(toOrderResponse.name, () => {
  it('shows only the public fields of a priced order, with the total as a number', () => {
    expect(toOrderResponse(row({}))).toEqual({
      id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      userId: '1c6b8a2e-4d3f-4a5b-9c7d-2e1f0a9b8c7d',
      status: 'confirmed',
      items: [{ productId: P, sku: 'S', name: 'N', unitPriceCents: 5, quantity: 2, lineTotalCents: 10 }],
      totalCents: 10,
      currency: 'USD',
      createdAt: '2026-11-26T09:30:00.000Z',
      updatedAt: '2026-11-26T09:30:00.200Z',
    });
  });

  it('shows a never-priced order with the requested lines and null prices', () => {
    const sut = toOrderResponse(
      row({ status: 'rejected', items: [], currency: null, totalCents: '0', confirmedAt: null }),
    );

    expect(sut.items).toEqual([
      { productId: P, sku: null, name: null, unitPriceCents: null, quantity: 2, lineTotalCents: null },
    ]);
    expect(sut).toMatchObject({ totalCents: null, currency: null });
  });
});

describe(toPlacedOrderResponse.name, () => {
  it('rebuilds the body answered at confirmation, even for an order cancelled since', () => {
    const sut = toPlacedOrderResponse(row({ status: 'cancelled' }));

    expect(sut).toMatchObject({ status: 'confirmed', updatedAt: '2026-11-26T09:30:00.100Z' });
  });
});
