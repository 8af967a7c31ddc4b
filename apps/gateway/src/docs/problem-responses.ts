import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import { ProblemDetails } from '@app/common/errors';
import { ERROR_CATALOG, ErrorCode, FieldError } from '@app/contracts';

@ApiSchema({ name: 'FieldError' })
class FieldErrorSchema implements FieldError {
  @ApiProperty({ example: 'items[0].quantity' }) field: string;
  @ApiProperty({ example: 'quantity must not be greater than 1000' }) message: string;
}

/** RFC 9457 problem details: the one shape of every error the API answers (docs/api.md#errors). */
@ApiSchema({ name: 'Problem' })
export class ProblemSchema implements ProblemDetails {
  @ApiProperty({ enum: ['about:blank'] }) type: 'about:blank';
  @ApiProperty({ example: 'Conflict', description: 'The HTTP status text of `status`' }) title: string;
  @ApiProperty({ type: 'integer', example: 409 }) status: number;
  @ApiProperty({
    enum: Object.keys(ERROR_CATALOG),
    example: 'insufficient-stock',
    description: 'Stable, machine-readable error code; branch on this, never on `detail`',
  })
  code: ErrorCode;
  @ApiProperty({ example: 'Not enough stock for product(s): 3f1c6a52', description: 'For humans; may change' })
  detail: string;
  @ApiProperty({ example: 'f3b9c2d0-6a0e-4f5c-8a55-0f3b5a1d2c77', description: 'The `x-request-id` of the answer' })
  requestId: string;
  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'One entry per invalid field, on validation errors' })
  errors?: FieldError[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Machine-readable extension members some errors carry (e.g. the limit and the units counted)',
  })
  details?: Record<string, unknown>;
}

/** What a route means by a code, for the example's `detail`; the catalog's title when a route says nothing. */
export type ProblemCases = Partial<Record<ErrorCode, string>>;

/** Answered by every route: the rate limit and the two ways a service behind the gateway can fail it. */
const EVERY_ROUTE: readonly ErrorCode[] = ['rate-limited', 'service-unavailable', 'upstream-timeout'];

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } };

/**
 * The one way a route documents its errors: the problem+json answers for `codes` (plus the three
 * every route can give), grouped by status because several codes share 409 and 422, with one
 * named example per code whose `detail` is the route's own wording from `when`.
 */
export function ApiProblems(when: ProblemCases, ...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set([...codes, ...EVERY_ROUTE])) {
    const { status } = ERROR_CATALOG[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const detailOf = (code: ErrorCode): string => when[code] ?? ERROR_CATALOG[code].title;
  return applyDecorators(
    ApiExtraModels(ProblemSchema),
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        description: group.map((code) => `\`${code}\`: ${detailOf(code)}`).join('; '),
        ...(status === ERROR_CATALOG['rate-limited'].status ? { headers: RETRY_AFTER } : {}),
        content: {
          'application/problem+json': {
            schema: { $ref: getSchemaPath(ProblemSchema) },
            examples: Object.fromEntries(
              group.map((code) => [
                code,
                {
                  value: {
                    type: 'about:blank',
                    title: ERROR_CATALOG[code].title,
                    status,
                    code,
                    detail: detailOf(code),
                    requestId: 'f3b9c2d0-6a0e-4f5c-8a55-0f3b5a1d2c77',
                  },
                },
              ]),
            ),
          },
        },
      }),
    ),
  );
}
