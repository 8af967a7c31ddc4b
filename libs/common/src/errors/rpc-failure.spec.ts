import { errors } from '@nats-io/transport-node';
import { DomainError } from './domain-error';
import { classifyRpcFailure } from './rpc-failure';

describe(classifyRpcFailure.name, () => {
  it('passes a service domain error (as it arrives on the wire) through unchanged', () => {
    const sut = classifyRpcFailure({ code: 'not-found', message: 'No product p', status: 404 }, 'catalog.product.get');

    expect(sut).toBeInstanceOf(DomainError);
    expect(sut).toMatchObject({ code: 'not-found', message: 'No product p', status: 404 });
  });

  it('maps "no responders" to 503 service-unavailable', () => {
    const failure = new errors.RequestError('no responders', { cause: new errors.NoRespondersError('x') });

    expect(classifyRpcFailure(failure, 'x').code).toBe('service-unavailable');
  });

  it('maps a request timeout to 504 upstream-timeout', () => {
    expect(classifyRpcFailure(new errors.TimeoutError(), 'x').code).toBe('upstream-timeout');
  });

  it('maps a disconnected client (Nest rejects with a plain string) to 503', () => {
    expect(classifyRpcFailure('Error: Connection lost. Trying to reconnect...', 'x').code).toBe('service-unavailable');
  });

  it('maps anything else to internal', () => {
    expect(classifyRpcFailure(new TypeError('boom'), 'x').code).toBe('internal');
  });
});
