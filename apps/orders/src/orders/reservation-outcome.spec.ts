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

    it.each(['service-unavailable', 'upstream-timeout', 'internal', 'rate-limited'] as const)(
      'treats %s as no answer: the order stays pending',
      (code) => {
        const error = new DomainError(code, 'x');

        expect(outcomeOfReserveFailure(error)).toEqual({ kind: 'unknown', error });
        expect((outcomeOfReserveFailure(error) as { error: unknown }).error).toBe(error);
      },
    );

    it('treats an unexpected throw as no answer too, kept as the cause of an internal error', () => {
      const thrown = new TypeError('boom');

      const sut = outcomeOfReserveFailure(thrown);

      expect(sut.kind).toBe('unknown');
      const { error } = sut as { error: DomainError };
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'internal', message: 'Reserve failed' });
      expect(error.cause).toBe(thrown);
    });
  });

  describe(outcomeOfRecord.name, () => {
    it('maps each record to what the order becomes', () => {
      const rejection = { code: 'insufficient-stock' as const, message: 'short', status: 409 };

      const reserved = reservation({ status: 'reserved' });

      expect(outcomeOfRecord(null)).toEqual({ kind: 'absent' });
      expect(outcomeOfRecord(reserved)).toEqual({ kind: 'reserved', reservation: reserved });
      expect(outcomeOfRecord(reservation({ status: 'rejected', rejection }))).toEqual({ kind: 'refused', rejection });
      expect(outcomeOfRecord(reservation({ status: 'released' }))).toEqual({ kind: 'fenced' });
    });

    it('reads a rejected record without a refusal (a fenced order) as fenced', () => {
      expect(outcomeOfRecord(reservation({ status: 'rejected', rejection: null }))).toEqual({ kind: 'fenced' });
    });
  });

  describe(clientErrorOfUnknown.name, () => {
    it('passes 503 and 504 through and turns anything else into 503, never a 500', () => {
      const timeout = new DomainError('upstream-timeout', 'slow');

      const unavailable = new DomainError('service-unavailable', 'down');
      const internal = new DomainError('internal', 'pool exhausted');

      expect(clientErrorOfUnknown(timeout)).toBe(timeout);
      expect(clientErrorOfUnknown(unavailable)).toBe(unavailable);
      const sut = clientErrorOfUnknown(internal);
      expect(sut).toMatchObject({
        code: 'service-unavailable',
        message: 'The catalog could not take the reservation now; retry later',
      });
      expect(sut.cause).toBe(internal);
    });
  });
});
