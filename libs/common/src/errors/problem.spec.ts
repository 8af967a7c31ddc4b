import { ForbiddenException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { toProblem } from './problem';

describe(toProblem.name, () => {
  it('maps a domain error to its status, code and message', () => {
    const sut = toProblem(new DomainError('mixed-currency', 'An order has one currency'), 'req-1');

    expect(sut.status).toBe(422);
    expect(sut.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(sut.headers).toStrictEqual({ 'content-type': 'application/problem+json; charset=utf-8' });
    expect(sut.body).toStrictEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      code: 'mixed-currency',
      detail: 'An order has one currency',
      requestId: 'req-1',
    });
  });

  it('passes on the details a service chose to share', () => {
    const error = new DomainError('insufficient-stock', 'short', { details: { productIds: ['p-1'] } });

    expect(toProblem(error, 'r').body.details).toEqual({ productIds: ['p-1'] });
  });

  it('lists field errors of a validation error', () => {
    const errors = [{ field: 'items[0].quantity', message: 'must be ≥ 1' }];

    expect(toProblem(new DomainError('validation-error', 'bad', { errors }), 'r').body.errors).toEqual(errors);
  });

  it('sets Retry-After for rate limiting, rounded up to whole seconds', () => {
    const sut = toProblem(new DomainError('rate-limited', 'slow down', { retryAfterSeconds: 12.2 }), 'r');

    expect(sut.status).toBe(429);
    expect(sut.headers['retry-after']).toBe('13');
  });

  it('maps framework errors by status without their text', () => {
    expect(toProblem(new NotFoundException('Cannot GET /secret/path'), 'r').body).toMatchObject({
      status: 404,
      code: 'not-found',
      detail: 'No such resource',
    });
    expect(toProblem(new PayloadTooLargeException(), 'r').body.code).toBe('payload-too-large');
    expect(toProblem(Object.assign(new Error('Body is not valid JSON'), { statusCode: 400 }), 'r').body.code).toBe(
      'validation-error',
    );
  });

  it('never asks a client to retry sooner than in a second', () => {
    const sut = toProblem(new DomainError('rate-limited', 'slow down', { retryAfterSeconds: 0 }), 'r');

    expect(sut.headers['retry-after']).toBe('1');
  });

  it('gives a framework error the title of its code when there is no fixed text for it', () => {
    expect(toProblem(new ForbiddenException('admins only, see /internal/roles'), 'r').body).toStrictEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      code: 'forbidden',
      detail: 'Forbidden',
      requestId: 'r',
    });
  });

  it('maps any other client error a framework raises to validation-error', () => {
    const teapot = Object.assign(new Error("I'm a teapot"), { statusCode: 418 });

    expect(toProblem(teapot, 'r').body).toMatchObject({
      status: 400,
      code: 'validation-error',
      detail: 'The request is invalid',
    });
  });

  it.each<[string, unknown]>([
    ['a server-error status', Object.assign(new Error('upstream exploded'), { statusCode: 500 })],
    ['a status below 400', Object.assign(new Error('moved'), { statusCode: 302 })],
    ['a status that is not a number', Object.assign(new Error('odd'), { statusCode: '400' })],
    ['null', null],
  ])('treats an error with %s as internal', (_case, error) => {
    expect(toProblem(error, 'r').body).toMatchObject({
      status: 500,
      code: 'internal',
      detail: 'An unexpected error occurred',
    });
  });

  it('keeps details out of an internal error, even a domain one', () => {
    const sut = toProblem(new DomainError('internal', 'pool exhausted', { details: { host: '10.0.0.7' } }), 'r');

    expect(sut.body).toStrictEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'internal',
      detail: 'An unexpected error occurred',
      requestId: 'r',
    });
  });

  it('hides everything about an unexpected error behind 500 internal', () => {
    const sut = toProblem(new Error('relation "users" does not exist at 10.0.0.7'), 'r');

    expect(sut.status).toBe(500);
    expect(JSON.stringify(sut.body)).not.toMatch(/relation|10\.0\.0\.7/);
    expect(sut.body.code).toBe('internal');
  });
});
