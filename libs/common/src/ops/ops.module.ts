import { DynamicModule, Global, Module } from '@nestjs/common';
import { BazaarMetrics, processMetrics } from './metrics';
import { OpsController } from './ops.controller';
import { ReadinessService } from './readiness.service';

@Global()
@Module({})
export class OpsModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: OpsModule,
      controllers: [OpsController],
      providers: [ReadinessService, { provide: BazaarMetrics, useFactory: () => processMetrics(service) }],
      exports: [ReadinessService, BazaarMetrics],
    };
  }
}
