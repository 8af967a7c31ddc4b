import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IntegerParam } from '../shared/integer-param';
import { PageRequest } from '../shared/page-request';
import { PRODUCT_RULES as R } from './product-rules';

export const PRODUCT_SORTS = ['newest', 'price_asc', 'price_desc', 'name'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

const PriceParam = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: R.PRICE_MAX_CENTS, description }),
    IntegerParam(),
    IsOptional(),
    IsInt(),
    Min(0),
    Max(R.PRICE_MAX_CENTS),
  );

/** Query of `GET /v1/products` and payload of `catalog.product.list`. */
export class ListProductsQuery extends PageRequest(
  'Opaque `nextCursor` of the previous page. Valid only with the same q, category, minPrice, maxPrice and sort.',
) {
  @ApiPropertyOptional({
    description: 'Case-insensitive substring search over name and description',
    minLength: 1,
    maxLength: R.SEARCH_MAX,
    example: 'mug',
  })
  @IsOptional()
  @IsString()
  @Length(1, R.SEARCH_MAX)
  q?: string;

  @ApiPropertyOptional({ description: 'Exact category', example: 'kitchen', maxLength: R.CATEGORY_MAX })
  @IsOptional()
  @IsString()
  @Length(1, R.CATEGORY_MAX)
  category?: string;

  @PriceParam('Lowest price in cents, inclusive') minPrice?: number;
  @PriceParam('Highest price in cents, inclusive') maxPrice?: number;

  @ApiPropertyOptional({ enum: PRODUCT_SORTS, default: 'newest', description: 'Ties are broken by id' })
  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort?: ProductSort;
}
