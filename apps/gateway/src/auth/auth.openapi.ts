import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { JwksResponse, PublicJwk, ROLES, TokensResponse, UserResponse } from '@app/contracts';
import { ProblemCases } from '../docs/problem-responses';

/** OpenAPI schemas of the auth responses; `implements` keeps them in step with the contract types. */
@ApiSchema({ name: 'User' })
export class UserView implements UserResponse {
  @ApiProperty({ format: 'uuid', example: '9f1c2a7e-3b4d-4e5f-8a6b-7c8d9e0f1a2b' }) id: string;
  @ApiProperty({ format: 'email', example: 'ada@example.com', description: 'Stored lower-cased' }) email: string;
  @ApiProperty({ nullable: true, type: String, example: 'Ada Lovelace' }) name: string | null;
  @ApiProperty({ enum: ROLES, example: 'customer' }) role: UserResponse['role'];
  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:30:00.000Z' }) createdAt: string;
}

@ApiSchema({ name: 'Tokens' })
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

@ApiSchema({ name: 'Jwk' })
class JwkView implements PublicJwk {
  @ApiProperty({ enum: ['EC', 'OKP'], example: 'EC' }) kty: PublicJwk['kty'];
  @ApiProperty({ enum: ['P-256', 'Ed25519'], example: 'P-256' }) crv: PublicJwk['crv'];
  @ApiProperty({ example: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU' }) x: string;
  @ApiPropertyOptional({ example: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }) y?: string;
  @ApiProperty({ example: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }) kid: string;
  @ApiProperty({ enum: ['ES256', 'EdDSA'], example: 'ES256' }) alg: PublicJwk['alg'];
  @ApiProperty({ enum: ['sig'], example: 'sig' }) use: 'sig';
}

@ApiSchema({ name: 'Jwks' })
export class JwksView implements JwksResponse {
  @ApiProperty({ type: [JwkView] }) keys: JwkView[];
}

/** What the auth routes mean by each code they answer. */
export const AUTH_PROBLEMS: ProblemCases = {
  'validation-error': 'Malformed JSON, a field out of range, or an unknown field',
  unauthorized: 'Missing, invalid or expired credentials',
  forbidden: 'Authenticated, but not allowed',
  conflict: 'An account with this email already exists',
  'payload-too-large': 'The request body is larger than the limit',
  'rate-limited': 'Too many requests, failed logins or registrations; see the Retry-After header',
  'service-unavailable': 'The auth service has no live replica',
  'upstream-timeout': 'The auth service did not answer in time',
};
