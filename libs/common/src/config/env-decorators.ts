import { applyDecorators } from '@nestjs/common';
import { Expose, Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, Max, Min } from 'class-validator';

/** `true`/`false`/`1`/`0` from the environment; anything else fails validation instead of being truthy. */
export function EnvBoolean(): PropertyDecorator {
  return applyDecorators(
    Expose(),
    Transform(({ obj, key, value }: { obj: Record<string, unknown>; key: string; value: unknown }) => {
      const raw = obj[key];
      if (raw === undefined) {
        return value;
      }
      if (raw === true || raw === 'true' || raw === '1') {
        return true;
      }
      if (raw === false || raw === 'false' || raw === '0') {
        return false;
      }
      return raw;
    }),
    IsBoolean(),
  );
}

export function EnvInt(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Expose(),
    Type(() => Number),
    IsInt(),
    Min(min),
    Max(max),
  );
}

/** A decimal number (`0.05`), for durations a test or a soak shortens below the unit's one. */
export function EnvNumber(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Expose(),
    Type(() => Number),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(min),
    Max(max),
  );
}
