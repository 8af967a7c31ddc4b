import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export const RESERVATION_RULES = { LINES_MAX: 50, QUANTITY_MAX: 1000 } as const;

export class ReserveStockLine {
  @IsUUID('all', { message: '$property must be a UUID' }) productId: string;
  @IsInt() @Min(1) @Max(RESERVATION_RULES.QUANTITY_MAX) quantity: number;
}

/** Payload of `catalog.stock.reserve`: all lines or none, idempotent by `orderId`. */
export class ReserveStockRequest {
  @IsUUID('all', { message: '$property must be a UUID' }) orderId: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(RESERVATION_RULES.LINES_MAX)
  @ArrayUnique((line: ReserveStockLine | null) => line?.productId, { message: 'lines must name distinct products' })
  @ValidateNested({ each: true })
  @Type(() => ReserveStockLine)
  lines: ReserveStockLine[];
}

/** Payload of `catalog.stock.release` and `catalog.reservation.get`. */
export class OrderIdRequest {
  @IsUUID('all', { message: '$property must be a UUID' }) orderId: string;
}
