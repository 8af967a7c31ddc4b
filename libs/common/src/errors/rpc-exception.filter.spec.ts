import { ArgumentsHost, Logger } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { DomainError } from './domain-error';
import { RpcErrorFilter } from './rpc-exception.filter';

const host = { getType: () => 'rpc', switchToRpc: () => ({ getContext: () => ({}) }) } as unknown as ArgumentsHost;

async function wireErrorOf(exception: unknown): Promise<unknown> {
  return firstValueFrom(new RpcErrorFilter().catch(exception, host)).catch((error: unknown) => error);
}

describe(RpcErrorFilter.name, () => {
  it('sends a domain error as {code, message, status}', async () => {
    expect(await wireErrorOf(new DomainError('not-found', 'No product p'))).toEqual({
      code: 'not-found',
      message: 'No product p',
      status: 404,
    });
  });

  it('sends a database outage as 503 service-unavailable, not as a bug', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const shutdown = Object.assign(new Error('terminating connection'), { driverError: { code: '57P01' } });

    expect(await wireErrorOf(refused)).toMatchObject({ code: 'service-unavailable', status: 503 });
    expect(await wireErrorOf(shutdown)).toMatchObject({ code: 'service-unavailable', status: 503 });
  });

  it('sends anything else as internal, without its text', async () => {
    expect(await wireErrorOf(new TypeError('x is undefined in secret.ts'))).toEqual({
      code: 'internal',
      message: 'Internal error',
      status: 500,
    });
  });

  describe('logging', () => {
    afterEach(() => jest.restoreAllMocks());

    it('logs an unexpected error with the subject it was handling', async () => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const exception = new TypeError('boom');
      const rpcHost = {
        getType: () => 'rpc',
        switchToRpc: () => ({ getContext: () => ({ getSubject: () => 'catalog.product.get' }) }),
      } as unknown as ArgumentsHost;

      await firstValueFrom(new RpcErrorFilter().catch(exception, rpcHost)).catch(() => undefined);

      expect(error.mock.calls).toEqual([
        [{ err: exception, subject: 'catalog.product.get' }, 'Unhandled error in message handler'],
      ]);
    });

    it('logs an unexpected error outside a message handler without a subject', async () => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const exception = new TypeError('boom');
      const httpHost = {
        getType: () => 'http',
        switchToRpc: () => ({ getContext: () => ({ getSubject: () => 'not.a.message' }) }),
      } as unknown as ArgumentsHost;

      await firstValueFrom(new RpcErrorFilter().catch(exception, httpHost)).catch(() => undefined);

      expect(error.mock.calls).toEqual([
        [{ err: exception, subject: undefined }, 'Unhandled error in message handler'],
      ]);
    });

    it('warns about a database outage instead of reporting it as a bug', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

      expect(await wireErrorOf(refused)).toEqual({
        code: 'service-unavailable',
        message: 'The service cannot reach its database; retry later',
        status: 503,
      });
      expect(warn.mock.calls).toEqual([[{ err: refused }, 'Database unavailable']]);
      expect(error).not.toHaveBeenCalled();
    });

    it('passes domain errors on without logging them', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

      await wireErrorOf(new DomainError('conflict', 'released'));

      expect(warn).not.toHaveBeenCalled();
      expect(error).not.toHaveBeenCalled();
    });
  });
});
