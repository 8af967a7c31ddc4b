import { DynamicModule, Global, Module } from '@nestjs/common';
import { OrdersEnv } from './orders.env';

/** Makes the validated OrdersEnv injectable in every feature module. */
@Global()
@Module({})
export class OrdersConfigModule {
  static forRoot(config: OrdersEnv): DynamicModule {
    return { module: OrdersConfigModule, providers: [{ provide: OrdersEnv, useValue: config }], exports: [OrdersEnv] };
  }
}
