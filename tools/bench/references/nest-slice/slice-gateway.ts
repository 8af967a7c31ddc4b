/**
 * The gateway half of the `nest-slice` reference: Nest on Fastify with the stock NATS client
 * (`ClientsModule` + `Transport.NATS`, `ClientProxy.send`), as the Nest docs teach, answering
 * `GET /v1/products/:id` through slice-service.ts. No auth, validation, logging, metrics or timeout.
 *
 * Run by the bench (references.ts) with NATS_URL and PORT (0: any free port).
 */
import 'reflect-metadata';
import { AddressInfo } from 'node:net';
import { Controller, Get, Inject, Module, NotFoundException, OnApplicationBootstrap, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxy, ClientsModule, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { map, Observable } from 'rxjs';
import { exitOnSignals, reportToParent } from '../../helper-protocol';
import { SLICE_PATTERNS, SliceProduct } from './slice-contract';

const CATALOG = 'CATALOG';

@Controller('v1/products')
class ProductsController implements OnApplicationBootstrap {
  constructor(@Inject(CATALOG) private readonly catalog: ClientProxy) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.catalog.connect();
  }

  @Get(':id')
  getProduct(@Param('id') id: string): Observable<SliceProduct> {
    return this.catalog.send<SliceProduct | null, string>(SLICE_PATTERNS.GET_PRODUCT, id).pipe(
      map((product) => {
        if (!product) {
          throw new NotFoundException();
        }
        return product;
      }),
    );
  }
}

@Module({
  imports: [
    ClientsModule.register([
      { name: CATALOG, transport: Transport.NATS, options: { servers: [process.env.NATS_URL!] } },
    ]),
  ],
  controllers: [ProductsController],
})
class SliceGatewayModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(SliceGatewayModule, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  reportToParent({ port: (app.getHttpServer().address() as AddressInfo).port });
  exitOnSignals(() => app.close());
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
