import { errors } from '@nats-io/transport-node';
import { DomainError } from './domain-error';
import { classifyRpcFailure } from './rpc-failure';

const SUBJECT = 'catalog.product.get';

describe(classifyRpcFailure.name, () => {
  it('passes a domain error thrown on this side through as the same object', () => {
    const failure = new DomainError('conflict', 'released');

    expect(classifyRpcFailure(failure, SUBJECT)).toBe(failure);
  });

  it('passes a service domain error (as it arrives on the wire) through unchanged', () => {
    const sut = classifyRpcFailure(
      {
        code: 'validation-error',
        message: 'The request is invalid',
        status: 400,
        errors: [{ field: 'id', message: 'id must be a UUID' }],
      },
      SUBJECT,
    );

    expect(sut).toBeInstanceOf(DomainError);
    expect(sut).toMatchObject({
      code: 'validation-error',
      message: 'The request is invalid',
      status: 400,
      errors: [{ field: 'id', message: 'id must be a UUID' }],
    });
  });

  it.each([
    [
      'a request that found no responders',
      new errors.RequestError('no responders', { cause: new errors.NoRespondersError(SUBJECT) }),
    ],
    ['a bare no-responders error', new errors.NoRespondersError(SUBJECT)],
  ])('maps %s to 503 service-unavailable, naming the subject', (_case, failure) => {
    const sut = classifyRpcFailure(failure, SUBJECT);

    expect(sut).toMatchObject({ code: 'service-unavailable', message: `No replica is serving ${SUBJECT}` });
    expect(sut.cause).toBe(failure);
  });

  it('maps a request timeout to 504 upstream-timeout, naming the subject', () => {
    const failure = new errors.TimeoutError();
    const sut = classifyRpcFailure(failure, SUBJECT);

    expect(sut).toMatchObject({ code: 'upstream-timeout', message: `${SUBJECT} did not answer in time` });
    expect(sut.cause).toBe(failure);
  });

  it.each([
    ['a closed connection', new errors.ClosedConnectionError()],
    ['a draining connection', new errors.DrainingConnectionError()],
    ['a connection error', new errors.ConnectionError('connection refused')],
    ['any other request error', new errors.RequestError('request failed')],
    ['a disconnected client (Nest rejects with a plain string)', 'Error: Connection lost. Trying to reconnect...'],
  ])('maps %s to 503 messaging unavailable', (_case, failure) => {
    const sut = classifyRpcFailure(failure, SUBJECT);

    expect(sut).toMatchObject({ code: 'service-unavailable', message: `Messaging is unavailable for ${SUBJECT}` });
    expect(sut.cause).toBe(failure);
  });

  it('maps anything else to internal, keeping the failure as the cause', () => {
    const failure = new TypeError('boom');
    const sut = classifyRpcFailure(failure, SUBJECT);

    expect(sut).toMatchObject({ code: 'internal', message: `Unexpected failure calling ${SUBJECT}` });
    expect(sut.cause).toBe(failure);
  });

  it('does not take an object that only looks partly like a wire error for one', () => {
    expect(classifyRpcFailure({ code: 'not-found', message: 'x' }, SUBJECT).code).toBe('internal');
  });
});
