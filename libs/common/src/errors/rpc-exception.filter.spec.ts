import { ArgumentsHost } from '@nestjs/common';
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
});
