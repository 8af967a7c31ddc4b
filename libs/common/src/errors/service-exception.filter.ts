import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { RpcErrorFilter } from './rpc-exception.filter';

/**
 * The global filter of a service process, which is one Nest application serving two transports:
 * its NATS handlers get the RPC error path (RpcErrorFilter: domain error → wire error, anything
 * else logged and sent as `internal`); its small ops HTTP server (/health, /metrics) keeps Nest's
 * default HTTP handling. One filter for both, because the NATS transport inherits the
 * application's global filters and pipes (service-app.ts) instead of configuring a deferred
 * microservice through a method Nest doesn't publish.
 */
@Catch()
export class ServiceExceptionFilter extends BaseExceptionFilter {
  private readonly rpc = new RpcErrorFilter();

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() === 'rpc') {
      return this.rpc.catch(exception, host);
    }
    return super.catch(exception, host);
  }
}
