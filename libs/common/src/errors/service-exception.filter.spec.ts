import { ArgumentsHost, HttpServer, NotFoundException } from '@nestjs/common';
import { firstValueFrom, Observable } from 'rxjs';
import { DomainError } from './domain-error';
import { ServiceExceptionFilter } from './service-exception.filter';

function hostOf(type: 'rpc' | 'http', response: unknown = {}): ArgumentsHost {
  return {
    getType: () => type,
    getArgByIndex: (index: number) => (index === 1 ? response : undefined),
    switchToRpc: () => ({ getContext: () => ({}) }),
  } as unknown as ArgumentsHost;
}

describe(ServiceExceptionFilter.name, () => {
  it('sends what a NATS handler throws as a wire error', async () => {
    const sut = new ServiceExceptionFilter();

    const sent = sut.catch(new DomainError('not-found', 'No product p'), hostOf('rpc')) as Observable<never>;

    await expect(firstValueFrom(sent)).rejects.toEqual({ code: 'not-found', message: 'No product p', status: 404 });
  });

  it("leaves what the ops HTTP server throws to Nest's own HTTP handling", () => {
    const replies: unknown[][] = [];
    const adapter = {
      isHeadersSent: () => false,
      reply: (...args: unknown[]) => replies.push(args),
      end: () => undefined,
    } as unknown as HttpServer;
    const response = { id: 'response' };
    const sut = new ServiceExceptionFilter(adapter);

    const result = sut.catch(new NotFoundException('no such route'), hostOf('http', response));

    expect(result).toBeUndefined();
    expect(replies).toEqual([[response, { statusCode: 404, message: 'no such route', error: 'Not Found' }, 404]]);
  });
});
