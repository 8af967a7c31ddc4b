import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorCode, FieldError, Page, ProductResponse } from '@app/contracts';
import { ProblemDetails } from '@app/common/errors';

/** OpenAPI schema of a product; `implements` keeps it in step with the contract type. */
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

export class ProductPageSchema implements Page<ProductResponse> {
  @ApiProperty({ type: [ProductSchema] }) items: ProductSchema[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` (with the same filters and sort) for the next page; null on the last page',
  })
  nextCursor: string | null;
}

class FieldErrorSchema implements FieldError {
  @ApiProperty({ example: 'priceCents' }) field: string;
  @ApiProperty({ example: 'priceCents must not be less than 0' }) message: string;
}

/** RFC 9457 problem details, as every error of the API is answered. */
export class ProblemSchema implements ProblemDetails {
  @ApiProperty({ enum: ['about:blank'] }) type: 'about:blank';
  @ApiProperty({ example: 'Bad Request' }) title: string;
  @ApiProperty({ type: 'integer', example: 400 }) status: number;
  @ApiProperty({ example: 'validation-error', description: 'Stable, machine-readable error code' }) code: ErrorCode;
  @ApiProperty({ example: 'The request is invalid' }) detail: string;
  @ApiProperty({ example: '4c1b1f0e-1d7a-4a53-9b0e-6f1b2c3d4e5f' }) requestId: string;
  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'Present on validation errors' })
  errors?: FieldError[];
}

const PROBLEMS: Record<number, { code: ErrorCode; title: string; detail: string; description: string }> = {
  400: {
    code: 'validation-error',
    title: 'Bad Request',
    detail: 'The request is invalid',
    description: 'Malformed JSON, wrong types, out-of-range values, unknown fields, malformed id or bad cursor',
  },
  401: {
    code: 'unauthorized',
    title: 'Unauthorized',
    detail: 'Missing or invalid token',
    description: 'No valid token',
  },
  403: { code: 'forbidden', title: 'Forbidden', detail: 'Admins only', description: 'Authenticated, but not an admin' },
  404: {
    code: 'not-found',
    title: 'Not Found',
    detail: 'No such resource',
    description: 'No such product, or archived',
  },
  409: {
    code: 'conflict',
    title: 'Conflict',
    detail: 'A product with sku "KIT-MUG-0042" already exists',
    description: 'The sku is taken (archived products keep theirs)',
  },
  413: {
    code: 'payload-too-large',
    title: 'Payload Too Large',
    detail: 'The request body is larger than the limit',
    description: 'Body over 100 KiB',
  },
  429: { code: 'rate-limited', title: 'Too Many Requests', detail: 'Too many requests', description: 'Rate limited' },
  503: {
    code: 'service-unavailable',
    title: 'Service Unavailable',
    detail: 'No replica is serving catalog',
    description: 'The catalog service has no live replica',
  },
  504: {
    code: 'upstream-timeout',
    title: 'Gateway Timeout',
    detail: 'The catalog did not answer in time',
    description: 'The catalog service did not answer in time',
  },
};

/** Documents the problem+json answers of a route, with an example each. */
export function ApiProblems(...statuses: Array<keyof typeof PROBLEMS>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemSchema),
    ...[...statuses, 429, 503, 504].map((status) => {
      const { description, ...example } = PROBLEMS[status];
      return ApiResponse({
        status,
        description,
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(ProblemSchema) },
            example: { type: 'about:blank', status, requestId: 'f3b9c2d0-6a0e-4f5c-8a55-0f3b5a1d2c77', ...example },
          },
        },
      });
    }),
  );
}
