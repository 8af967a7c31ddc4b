import { DomainError } from '@app/common/errors';
import { ReservationResponse } from '@app/contracts';
import { clientErrorOfUnknown, outcomeOfRecord, outcomeOfReserveFailure } from './reservation-outcome';

const ORDER = '0f8fad5b-d9cb-469f-a165-70867728950e';

function reservation(overrides: Partial<ReservationResponse>): ReservationResponse {
  return {
    orderId: ORDER,
    status: 'reserved',
    lines: [],
    currency: 'USD',
    totalCents: 0,
    rejection: null,
    createdAt: '2026-11-26T09:30:00.000Z',
    updatedAt: '2026-11-26T09:30:00.000Z',
    ...overrides,
  };
}

describe('reservation outcomes', () => {
  describe(outcomeOfReserveFailure.name, () => {
    it.each(['insufficient-stock', 'unknown-product', 'mixed-currency', 'validation-error'] as const)(
      'treats %s as catalog’s final refusal, carrying its details',
      (code) => {
        const sut = outcomeOfReserveFailure(new DomainError(code, 'no', { details: { productIds: ['p'] } }));

        expect(sut).toEqual({
          kind: 'refused',
          rejection: expect.objectContaining({ code, details: { productIds: ['p'] } }),
        });
      },
    );

    it('reads a conflict as a fenced (released) order', () => {
      expect(outcomeOfReserveFailure(new DomainError('conflict', 'released'))).toEqual({ kind: 'fenced' });
    });

    it.each(['service-unavailable', 'upstream-timeout', 'internal'] as const)(
      'treats %s as no answer: the order stays pending',
      (code) => {
        expect(outcomeOfReserveFailure(new DomainError(code, 'x')).kind).toBe('unknown');
      },
    );

    it('treats an unexpected throw as no answer too', () => {
      expect(outcomeOfReserveFailure(new TypeError('boom')).kind).toBe('unknown');
    });
  });

  describe(outcomeOfRecord.name, () => {
    it('maps each record to what the order becomes', () => {
      const rejection = { code: 'insufficient-stock' as const, message: 'short', status: 409 };

      expect(outcomeOfRecord(null)).toEqual({ kind: 'absent' });
      expect(outcomeOfRecord(reservation({ status: 'reserved' })).kind).toBe('reserved');
      expect(outcomeOfRecord(reservation({ status: 'rejected', rejection }))).toEqual({ kind: 'refused', rejection });
      expect(outcomeOfRecord(reservation({ status: 'released' }))).toEqual({ kind: 'fenced' });
    });
  });

  describe(clientErrorOfUnknown.name, () => {
    it('passes 503 and 504 through and turns anything else into 503, never a 500', () => {
      const timeout = new DomainError('upstream-timeout', 'slow');

      expect(clientErrorOfUnknown(timeout)).toBe(timeout);
      expect(clientErrorOfUnknown(new DomainError('internal', 'pool exhausted')).code).toBe('service-unavailable');
    });
  });
});
