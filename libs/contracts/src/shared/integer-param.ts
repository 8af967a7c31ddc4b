import { Transform } from 'class-transformer';

/**
 * Query strings arrive as text at the gateway and as numbers over NATS. Only a plain integer
 * literal is converted: `""`, `"1.5"`, `"1e3"` or a repeated parameter stay as they are and fail
 * `@IsInt()`, instead of silently becoming 0 or NaN.
 */
export const IntegerParam = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value,
  );
