import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_CATALOG, ErrorCode, JwksResponse, PublicJwk, ROLES, TokensResponse, UserResponse } from '@app/contracts';

/** OpenAPI schemas of the auth responses; `implements` keeps them in step with the contract types. */
export class UserView implements UserResponse {
  @ApiProperty({ format: 'uuid', example: '9f1c2a7e-3b4d-4e5f-8a6b-7c8d9e0f1a2b' }) id: string;
  @ApiProperty({ format: 'email', example: 'ada@example.com', description: 'Stored lower-cased' }) email: string;
  @ApiProperty({ nullable: true, type: String, example: 'Ada Lovelace' }) name: string | null;
  @ApiProperty({ enum: ROLES, example: 'customer' }) role: UserResponse['role'];
  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' }) createdAt: string;
}

export class TokensView implements TokensResponse {
  @ApiProperty({
    example: 'eyJhbGciOiJFUzI1NiIsImtpZCI6IjNrUV9fZ2hDIiwidHlwIjoiYXQrand0In0.eyJzdWIiOiI5ZjFj...',
    description: 'JWT (ES256 or EdDSA, `kid` in the JWKS); claims sub, role, iat, exp, iss, aud, jti',
  })
  accessToken: string;
  @ApiProperty({
    example: 'q3JtZ1b8Yk2cV0nGm8vXyW5aS9dF4hJ7kL1pO6iU3eT',
    description: 'Opaque, single use: each refresh returns a new one; presenting a used one ends the session',
  })
  refreshToken: string;
  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires (at most 900)' })
  expiresIn: number;
}

class JwkView implements PublicJwk {
  @ApiProperty({ enum: ['EC', 'OKP'], example: 'EC' }) kty: PublicJwk['kty'];
  @ApiProperty({ enum: ['P-256', 'Ed25519'], example: 'P-256' }) crv: PublicJwk['crv'];
  @ApiProperty({ example: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU' }) x: string;
  @ApiPropertyOptional({ example: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }) y?: string;
  @ApiProperty({ example: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }) kid: string;
  @ApiProperty({ enum: ['ES256', 'EdDSA'], example: 'ES256' }) alg: PublicJwk['alg'];
  @ApiProperty({ enum: ['sig'], example: 'sig' }) use: 'sig';
}

export class JwksView implements JwksResponse {
  @ApiProperty({ type: [JwkView] }) keys: JwkView[];
}

class FieldErrorView {
  @ApiProperty({ example: 'password' }) field: string;
  @ApiProperty({ example: 'password must be longer than or equal to 8 characters' }) message: string;
}

export class ProblemView {
  @ApiProperty({ enum: ['about:blank'] }) type: 'about:blank';
  @ApiProperty({ example: 'Unauthorized' }) title: string;
  @ApiProperty({ example: 401 }) status: number;
  @ApiProperty({ enum: Object.keys(ERROR_CATALOG), example: 'unauthorized' }) code: ErrorCode;
  @ApiProperty({ example: 'The access token is missing, invalid or expired' }) detail: string;
  @ApiProperty({ example: '01HZX3J5Q8R2' }) requestId: string;
  @ApiPropertyOptional({ type: [FieldErrorView] }) errors?: FieldErrorView[];
}

const WHEN: Partial<Record<ErrorCode, string>> = {
  'validation-error': 'Malformed JSON, a field out of range, or an unknown field',
  unauthorized: 'Missing, invalid or expired credentials',
  forbidden: 'Authenticated, but not allowed',
  conflict: 'An account with this email already exists',
  'rate-limited': 'Too many requests, failed logins or registrations; see the Retry-After header',
  'service-unavailable': 'The auth service has no live replica',
  'upstream-timeout': 'The auth service did not answer in time',
};

/** Documents problem+json error responses, one per code, with the catalog's status and title. */
export function ApiProblems(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...codes.map((code) =>
      ApiResponse({
        status: ERROR_CATALOG[code].status,
        description: `\`${code}\`: ${WHEN[code] ?? ERROR_CATALOG[code].title}`,
        content: {
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/ProblemView' },
            example: {
              type: 'about:blank',
              title: ERROR_CATALOG[code].title,
              status: ERROR_CATALOG[code].status,
              code,
              detail: WHEN[code] ?? ERROR_CATALOG[code].title,
              requestId: '01HZX3J5Q8R2',
            },
          },
        },
        ...(code === 'rate-limited'
          ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
          : {}),
      }),
    ),
  );
}
