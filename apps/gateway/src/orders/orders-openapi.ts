import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ORDER_STATUSES, OrderItemResponse, OrderResponse, OrderStatus, Page } from '@app/contracts';
import { ProblemCases } from '../docs/problem-responses';

const ORDER_ID = '9b2d4c1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e';
const USER_ID = '1c6b8a2e-4d3f-4a5b-9c7d-2e1f0a9b8c7d';
const PRODUCT_ID = '3f1c6a52-8f0e-4a4e-9d7e-2b9b1f6f8c11';

/** OpenAPI schema of an order line; `implements` keeps it in step with the contract type. */
@ApiSchema({ name: 'OrderItem' })
export class OrderItemSchema implements OrderItemResponse {
  @ApiProperty({ format: 'uuid', example: PRODUCT_ID }) productId: string;
  @ApiProperty({ type: String, nullable: true, example: 'KIT-MUG-0042', description: 'Null until priced' })
  sku: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Stoneware coffee mug, 350 ml',
    description: 'Null until priced',
  })
  name: string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1499, description: 'Snapshotted; null until priced' })
  unitPriceCents: number | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000, example: 2 }) quantity: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 2998, description: 'unitPriceCents × quantity' })
  lineTotalCents: number | null;
}

@ApiSchema({ name: 'Order' })
export class OrderSchema implements OrderResponse {
  @ApiProperty({ format: 'uuid', example: ORDER_ID }) id: string;
  @ApiProperty({ format: 'uuid', example: USER_ID }) userId: string;
  @ApiProperty({
    enum: ORDER_STATUSES,
    example: 'confirmed',
    description:
      '`pending` only while the stock reservation is in flight or being recovered (bounded: see the order ' +
      'placement route); `confirmed`; `rejected` (nothing reserved); `cancelled` (stock given back).',
  })
  status: OrderStatus;
  @ApiProperty({
    type: [OrderItemSchema],
    description:
      'In the order the lines were sent. Prices, skus and names are snapshotted when the order is confirmed; ' +
      'a pending or rejected order was never priced and has them null.',
  })
  items: OrderItemSchema[];
  @ApiProperty({ type: 'integer', nullable: true, example: 2998, description: 'Null until priced' })
  totalCents: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'USD', description: 'ISO-4217; null until priced' })
  currency: string | null;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.120Z' }) updatedAt: string;
}

@ApiSchema({ name: 'OrderPage' })
export class OrderPageSchema implements Page<OrderResponse> {
  @ApiProperty({ type: [OrderSchema], description: 'Newest first' }) items: OrderSchema[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` (with the same `userId`) for the next page; null on the last page',
  })
  nextCursor: string | null;
}

/** What the order routes mean by each code they answer. */
export const ORDER_PROBLEMS: ProblemCases = {
  'validation-error':
    'Malformed JSON, wrong types, out-of-range values, unknown fields, malformed id, bad cursor or Idempotency-Key',
  unauthorized: 'Missing, invalid or expired access token',
  forbidden: 'A customer asked for the orders of another user',
  'not-found': 'No such order, or not yours',
  conflict: 'Only a confirmed order can be cancelled; this one is rejected',
  'insufficient-stock': 'Not enough stock for product(s): 3f1c6a52-8f0e-4a4e-9d7e-2b9b1f6f8c11',
  'idempotency-key-in-use': 'A request with this Idempotency-Key is still being processed',
  'payload-too-large': 'The request body is larger than the limit',
  'unknown-product': 'Unknown or archived product(s): 3f1c6a52-8f0e-4a4e-9d7e-2b9b1f6f8c11',
  'mixed-currency': 'The lines mix currencies: EUR, USD',
  'idempotency-key-reused': 'This Idempotency-Key was used with a different request body',
  'order-too-large': 'An order may reserve at most 2000 units; this one asks for 2400',
  'unit-quota-exceeded':
    'Your orders of the last 1440 minutes already hold 4990 units; with this order’s 20 they would exceed the 5000 ' +
    'allowed. Cancel an order or wait.',
  'rate-limited': 'Too many requests; slow down',
  'service-unavailable': 'No replica is serving the orders or catalog service',
  'upstream-timeout': 'catalog.stock.reserve did not answer in time',
};
