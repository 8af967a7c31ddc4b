/**
 * The service half of the `nest-slice` reference: a Nest NATS microservice built the way the Nest
 * docs teach (`Transport.NATS` with a queue group, `@MessagePattern`, TypeORM's
 * `Repository.findOneBy`), reading one row of the catalog's database. No auth, validation,
 * logging or metrics: the naive design that Bazaar's uncached `product-get` is compared with.
 *
 * Run by the bench (references.ts) with NATS_URL (an open nats-server of the reference's own),
 * DATABASE_URL (the catalog's bench database) and POOL_SIZE (the catalog's).
 */
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { exitOnSignals, reportToParent } from '../../helper-protocol';
import { SLICE_PATTERNS, SLICE_QUEUE, SliceProduct } from './slice-contract';

@Controller()
class ProductsController {
  constructor(@InjectRepository(SliceProduct) private readonly products: Repository<SliceProduct>) {}

  @MessagePattern(SLICE_PATTERNS.GET_PRODUCT)
  getProduct(@Payload() id: string): Promise<SliceProduct | null> {
    return this.products.findOneBy({ id });
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [SliceProduct],
      synchronize: false,
      extra: { max: Number(process.env.POOL_SIZE ?? 10) },
    }),
    TypeOrmModule.forFeature([SliceProduct]),
  ],
  controllers: [ProductsController],
})
class SliceServiceModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(SliceServiceModule, {
    transport: Transport.NATS,
    options: { servers: [process.env.NATS_URL!], queue: SLICE_QUEUE },
    logger: false,
  });
  await app.listen();
  reportToParent({ subject: SLICE_PATTERNS.GET_PRODUCT });
  exitOnSignals(() => app.close());
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
