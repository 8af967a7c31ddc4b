import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { OrderActor } from './order-actor';
import { ORDER_RULES as R } from './order-rules';

/** One line of `POST /v1/orders`. */
export class OrderLineRequest {
  @ApiProperty({ format: 'uuid', example: '3f1c6a52-8f0e-4a4e-9d7e-2b9b1f6f8c11' })
  @IsUUID('all', { message: '$property must be a UUID' })
  productId: string;

  @ApiProperty({ type: 'integer', minimum: R.QUANTITY_MIN, maximum: R.QUANTITY_MAX, example: 2 })
  @IsInt()
  @Min(R.QUANTITY_MIN)
  @Max(R.QUANTITY_MAX)
  quantity: number;
}

/** Product ids compare case-insensitively (a UUID is the same in either case). */
const productKey = (line: unknown): unknown => {
  const id = (line as Partial<OrderLineRequest> | null)?.productId;
  return typeof id === 'string' ? id.toLowerCase() : id;
};

/** Body of `POST /v1/orders`: 1–50 lines naming distinct products. */
export class PlaceOrderRequest {
  @ApiProperty({
    type: [OrderLineRequest],
    minItems: R.LINES_MIN,
    maxItems: R.LINES_MAX,
    description: 'Distinct products; stock is reserved for every line or for none.',
  })
  @IsDefined()
  @IsArray()
  @ArrayMinSize(R.LINES_MIN)
  @ArrayMaxSize(R.LINES_MAX)
  @ArrayUnique(productKey, { message: 'items must name distinct products' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineRequest)
  items: OrderLineRequest[];
}

/** Payload of `orders.order.place`: the body, who asks, and the Idempotency-Key if one was sent. */
export class PlaceOrderCommand extends PlaceOrderRequest {
  @IsDefined()
  @ValidateNested()
  @Type(() => OrderActor)
  actor: OrderActor;

  @IsOptional()
  @IsString()
  @Matches(R.IDEMPOTENCY_KEY_PATTERN, { message: 'Idempotency-Key must be 1-255 printable ASCII characters' })
  idempotencyKey?: string;
}
