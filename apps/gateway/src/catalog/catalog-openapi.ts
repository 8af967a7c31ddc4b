import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Page, ProductResponse } from '@app/contracts';
import { ProblemCases } from '../docs/problem-responses';

/** OpenAPI schema of a product; `implements` keeps it in step with the contract type. */
@ApiSchema({ name: 'Product' })
export class ProductSchema implements ProductResponse {
  @ApiProperty({ format: 'uuid', example: '3f1c6a52-8f0e-4a4e-9d7e-2b9b1f6f8c11' }) id: string;
  @ApiProperty({ example: 'KIT-MUG-0042', minLength: 1, maxLength: 64 }) sku: string;
  @ApiProperty({ example: 'Stoneware coffee mug, 350 ml', minLength: 1, maxLength: 200 }) name: string;
  @ApiProperty({ example: 'Hand-glazed, dishwasher safe.', maxLength: 5000 }) description: string;
  @ApiProperty({ type: 'integer', example: 1499, minimum: 0, maximum: 100_000_000 }) priceCents: number;
  @ApiProperty({ example: 'USD', pattern: '^[A-Z]{3}$' }) currency: string;
  @ApiProperty({ type: 'integer', example: 25, minimum: 0 }) stock: number;
  @ApiProperty({ type: String, nullable: true, example: 'kitchen' }) category: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

@ApiSchema({ name: 'ProductPage' })
export class ProductPageSchema implements Page<ProductResponse> {
  @ApiProperty({ type: [ProductSchema] }) items: ProductSchema[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` (with the same filters and sort) for the next page; null on the last page',
  })
  nextCursor: string | null;
}

/** What the catalog routes mean by each code they answer. */
export const CATALOG_PROBLEMS: ProblemCases = {
  'validation-error': 'Malformed JSON, wrong types, out-of-range values, unknown fields, malformed id or bad cursor',
  unauthorized: 'Missing or invalid token',
  forbidden: 'Authenticated, but not an admin',
  'not-found': 'No such product, or archived',
  conflict: 'The sku is taken (archived products keep theirs)',
  'payload-too-large': 'Body over 100 KiB',
  'rate-limited': 'Too many requests; see the Retry-After header',
  'service-unavailable': 'The catalog service has no live replica',
  'upstream-timeout': 'The catalog service did not answer in time',
};
