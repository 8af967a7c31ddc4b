import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IntegerParam } from './integer-param';
import { PAGE_RULES as R } from './page-rules';

/**
 * The paging fields of a list query (docs/api.md#pagination): `limit`, and the `cursor` of the
 * next page. A function that makes the base class, as `PartialType` does, because each list binds
 * its cursor to other filters and says which in the cursor's description, and a subclass can't
 * redeclare the inherited `cursor` only to document it (TS2612 under ES2022 class fields).
 */
export function PageRequest(cursorDescription: string) {
  abstract class PageRequest {
    @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: R.LIMIT_MAX, default: R.LIMIT_DEFAULT })
    @IntegerParam()
    @IsOptional()
    @IsInt()
    @Min(1)
    @Max(R.LIMIT_MAX)
    limit?: number;

    @ApiPropertyOptional({ description: cursorDescription })
    @IsOptional()
    @IsString()
    @MaxLength(R.CURSOR_MAX)
    cursor?: string;
  }
  return PageRequest;
}
