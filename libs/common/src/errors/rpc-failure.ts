import { errors as natsErrors } from '@nats-io/transport-node';
import { DomainError } from './domain-error';
import { fromWireError, isWireError } from './wire-error';

/**
 * Classifies why a NATS request failed, from the caller's side: the service answered with an
 * error (its own DomainError, passed through), nobody is listening (503), nobody answered in time
 * (504), or we are cut off from NATS (503). Anything unexpected stays an internal error.
 */
export function classifyRpcFailure(failure: unknown, subject: string): DomainError {
  if (failure instanceof DomainError) {
    return failure;
  }
  if (isWireError(failure)) {
    return fromWireError(failure);
  }
  if (failure instanceof natsErrors.RequestError && failure.isNoResponders()) {
    return new DomainError('service-unavailable', `No replica is serving ${subject}`, { cause: failure });
  }
  if (failure instanceof natsErrors.NoRespondersError) {
    return new DomainError('service-unavailable', `No replica is serving ${subject}`, { cause: failure });
  }
  if (failure instanceof natsErrors.TimeoutError) {
    return new DomainError('upstream-timeout', `${subject} did not answer in time`, { cause: failure });
  }
  if (
    failure instanceof natsErrors.ClosedConnectionError ||
    failure instanceof natsErrors.DrainingConnectionError ||
    failure instanceof natsErrors.ConnectionError ||
    failure instanceof natsErrors.RequestError ||
    // Nest's NATS client rejects with a plain string while disconnected.
    typeof failure === 'string'
  ) {
    return new DomainError('service-unavailable', `Messaging is unavailable for ${subject}`, { cause: failure });
  }
  return new DomainError('internal', `Unexpected failure calling ${subject}`, { cause: failure });
}
