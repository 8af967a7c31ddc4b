import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthClient, CatalogClient, OrdersClient } from '@app/common/clients';
import { EnvModule } from '@app/common/config';
import { MessagingClientModule } from '@app/common/messaging';
import { OpsModule } from '@app/common/ops';
import { AuthRoutesModule } from './auth/auth-routes.module';
import { CatalogRoutesModule } from './catalog/catalog-routes.module';
import { GatewayEnv } from './config/gateway.env';
import { OrdersRoutesModule } from './orders/orders-routes.module';
import { ProblemFilter } from './http/problem.filter';

export const GATEWAY_SERVICE = 'gateway';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        EnvModule.forRoot(config),
        OpsModule.forRoot(GATEWAY_SERVICE),
        MessagingClientModule.forRoot(GATEWAY_SERVICE, config, [AuthClient, CatalogClient, OrdersClient]),
        AuthRoutesModule.forRoot(),
        CatalogRoutesModule,
        OrdersRoutesModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
