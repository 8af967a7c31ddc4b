import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PRODUCT_RULES as R } from './product-rules';

/**
 * Validation and documentation of each product field, in one place: `CreateProductRequest` uses
 * them and `UpdateProductRequest` derives from it.
 * `required: false` means the field may be left out; it still may not be `null` (only
 * `category` is nullable), since `@IsOptional()` would let `null` through to the database.
 */
interface FieldOptions {
  required: boolean;
}

const whenPresent = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);

function documented(required: boolean, options: Parameters<typeof ApiProperty>[0]): PropertyDecorator {
  return required ? ApiProperty(options) : ApiPropertyOptional(options);
}

function field(required: boolean, docs: Parameters<typeof ApiProperty>[0], ...rules: PropertyDecorator[]) {
  return applyDecorators(documented(required, docs), ...(required ? [] : [whenPresent()]), ...rules);
}

export const SkuField = ({ required }: FieldOptions): PropertyDecorator =>
  field(
    required,
    { example: 'KIT-MUG-0042', minLength: 1, maxLength: R.SKU_MAX, description: 'Unique stock-keeping unit' },
    IsString(),
    Length(1, R.SKU_MAX),
  );

export const NameField = ({ required }: FieldOptions): PropertyDecorator =>
  field(
    required,
    { example: 'Stoneware coffee mug, 350 ml', minLength: 1, maxLength: R.NAME_MAX },
    IsString(),
    Length(1, R.NAME_MAX),
  );

export const DescriptionField = ({ required }: FieldOptions): PropertyDecorator =>
  field(
    required,
    { example: 'Hand-glazed, dishwasher safe.', maxLength: R.DESCRIPTION_MAX, default: '' },
    IsString(),
    MaxLength(R.DESCRIPTION_MAX),
  );

export const PriceCentsField = ({ required }: FieldOptions): PropertyDecorator =>
  field(
    required,
    { example: 1499, minimum: 0, maximum: R.PRICE_MAX_CENTS, type: 'integer', description: 'Price in minor units' },
    IsInt(),
    Min(0),
    Max(R.PRICE_MAX_CENTS),
  );

export const CurrencyField = ({ required }: FieldOptions): PropertyDecorator =>
  field(
    required,
    { example: 'USD', pattern: '^[A-Z]{3}$', default: R.DEFAULT_CURRENCY, description: 'ISO-4217 code' },
    IsString(),
    Matches(R.CURRENCY_PATTERN, { message: 'currency must be 3 upper-case letters (ISO-4217)' }),
  );

export const StockField = ({ required }: FieldOptions): PropertyDecorator =>
  field(
    required,
    {
      example: 25,
      minimum: 0,
      maximum: R.STOCK_MAX,
      type: 'integer',
      default: 0,
      description:
        'Units available for sale now (reserved units are already subtracted). A PATCH sets this number ' +
        'absolutely, under a row lock, so it never overwrites a reservation made in between with a stale value.',
    },
    IsInt(),
    Min(0),
    Max(R.STOCK_MAX),
  );

/** The one nullable field: `null` clears it, leaving it out keeps it. */
export const CategoryField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ example: 'kitchen', minLength: 1, maxLength: R.CATEGORY_MAX, type: String, nullable: true }),
    IsOptional(),
    IsString(),
    Length(1, R.CATEGORY_MAX),
  );

export const UuidField = (example = '0f8fad5b-d9cb-469f-a165-70867728950e'): PropertyDecorator =>
  applyDecorators(ApiProperty({ format: 'uuid', example }), IsUUID('all', { message: '$property must be a UUID' }));
