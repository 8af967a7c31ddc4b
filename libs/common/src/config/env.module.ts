import { DynamicModule, Global, Module } from '@nestjs/common';
import { BaseEnv } from './base.env';

/**
 * The one way a service's configuration reaches its code: `runProcess` validates the environment
 * into the app's env class at start-up (every bad variable listed, the process refuses to start),
 * and the root module passes that instance here. Every provider then injects it by its class,
 * typed (`constructor(private readonly config: OrdersEnv)`, or `inject: [OrdersEnv]` in a
 * factory), instead of receiving slices of it through `forRoot` options or ad-hoc tokens.
 */
@Global()
@Module({})
export class EnvModule {
  static forRoot<T extends BaseEnv>(config: T): DynamicModule {
    const envClass = config.constructor as new () => T;
    return { module: EnvModule, providers: [{ provide: envClass, useValue: config }], exports: [envClass] };
  }
}
