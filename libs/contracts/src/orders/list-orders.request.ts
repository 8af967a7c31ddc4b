import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { PageRequest } from '../shared/page-request';
import { OrderActor } from './order-actor';

/** Query of `GET /v1/orders`. */
export class ListOrdersQuery extends PageRequest(
  'Opaque `nextCursor` of the previous page; valid only with the same `userId` filter and caller.',
) {
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
