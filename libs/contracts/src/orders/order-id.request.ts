import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsUUID, ValidateNested } from 'class-validator';
import { OrderActor } from './order-actor';

/** The `:id` of an order route. */
export class OrderIdParam {
  @ApiProperty({ format: 'uuid', example: '9b2d4c1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e' })
  @IsUUID('all', { message: '$property must be a UUID' })
  id: string;
}

/** Payload of `orders.order.get` and `orders.order.cancel`. */
export class OrderCommand {
  @IsUUID('all', { message: '$property must be a UUID' }) orderId: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => OrderActor)
  actor: OrderActor;
}
