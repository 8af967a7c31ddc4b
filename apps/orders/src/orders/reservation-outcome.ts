import { DomainError, toWireError } from '@app/common/errors';
import { ReservationResponse, WireError } from '@app/contracts';

/**
 * What catalog's answer about an order's stock means for the order:
 * - `reserved`: the stock is held → confirm with these priced lines;
 * - `refused`: catalog decided and took nothing → reject with its error;
 * - `fenced`: the reservation was released (a recovery fenced the order) → the order can only be rejected;
 * - `absent`: catalog never recorded anything → a reserve may still be on its way: fence before rejecting;
 * - `unknown`: no answer (catalog down, slow, or failing) → the order stays pending.
 */
export type ReservationOutcome =
  | { kind: 'reserved'; reservation: ReservationResponse }
  | { kind: 'refused'; rejection: WireError }
  | { kind: 'fenced' }
  | { kind: 'absent' }
  | { kind: 'unknown'; error: DomainError };

/** Codes of a failed call that say nothing about whether catalog took the stock. */
const NO_ANSWER = new Set(['service-unavailable', 'upstream-timeout', 'internal', 'rate-limited']);

/** The outcome of a failed reserve (a successful one is `reserved`). */
export function outcomeOfReserveFailure(error: unknown): ReservationOutcome {
  if (!(error instanceof DomainError) || NO_ANSWER.has(error.code)) {
    const unknown =
      error instanceof DomainError ? error : new DomainError('internal', 'Reserve failed', { cause: error });
    return { kind: 'unknown', error: unknown };
  }
  // Catalog answers `conflict` to a reserve whose order id was released (fenced); orders never
  // reuses an order id with other lines, the other cause of a conflict.
  if (error.code === 'conflict') {
    return { kind: 'fenced' };
  }
  return { kind: 'refused', rejection: toWireError(error) };
}

/** The outcome of catalog's record of an order (findReservation: null when there is none). */
export function outcomeOfRecord(reservation: ReservationResponse | null): ReservationOutcome {
  if (reservation === null) {
    return { kind: 'absent' };
  }
  switch (reservation.status) {
    case 'reserved':
      return { kind: 'reserved', reservation };
    case 'rejected':
      return reservation.rejection ? { kind: 'refused', rejection: reservation.rejection } : { kind: 'fenced' };
    case 'released':
      return { kind: 'fenced' };
  }
}

/**
 * Why an order was rejected when its reservation never completed: recovery fenced it (nothing is
 * reserved). Answered to a retry with the same Idempotency-Key, as the 504 the client first saw,
 * now final; placing the order again needs a new key.
 */
export const RESERVATION_TIMED_OUT: WireError = {
  code: 'upstream-timeout',
  message:
    'The order was rejected: its stock reservation did not complete in time and nothing was reserved. ' +
    'Place it again with a new Idempotency-Key.',
  status: 504,
};

/** The error a client gets while the outcome is unknown: catalog's 503/504, never a 500. */
export function clientErrorOfUnknown(error: DomainError): DomainError {
  if (error.code === 'service-unavailable' || error.code === 'upstream-timeout') {
    return error;
  }
  return new DomainError('service-unavailable', 'The catalog could not take the reservation now; retry later', {
    cause: error,
  });
}
