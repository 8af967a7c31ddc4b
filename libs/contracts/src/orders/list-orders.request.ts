import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { OrderActor } from './order-actor';
import { ORDER_RULES as R } from './order-rules';

/**
 * Query strings arrive as text at the gateway and as numbers over NATS. Only a plain integer
 * literal is converted: `""`, `"1.5"` or a repeated parameter stay as they are and fail `@IsInt()`.
 */
const IntegerParam = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value,
  );

/** Query of `GET /v1/orders`. */
export class ListOrdersQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: R.LIMIT_MAX, default: R.LIMIT_DEFAULT })
  @IntegerParam()
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(R.LIMIT_MAX)
  limit?: number;

  @ApiPropertyOptional({
    description: 'Opaque `nextCursor` of the previous page; valid only with the same `userId` filter and caller.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(R.CURSOR_MAX)
  cursor?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Admins only: list the orders of this user. A customer may only name itself (403 otherwise).',
  })
  @IsOptional()
  @IsUUID('all', { message: '$property must be a UUID' })
  userId?: string;
}

/** Payload of `orders.order.list`: the query and who asks. */
export class ListOrdersCommand extends ListOrdersQuery {
  @IsDefined()
  @ValidateNested()
  @Type(() => OrderActor)
  actor: OrderActor;
}
