import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIP, IsString, IsUUID, Length, MaxLength, ValidateIf } from 'class-validator';
import { AUTH_RULES as R } from './auth-rules';

/**
 * Validation and documentation of each auth field, in one place for every request that has it.
 * Emails are trimmed and lower-cased before validation: they are unique case-insensitively.
 */
const normalizeEmail = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value,
);

export const EmailField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ example: 'ada@example.com', maxLength: R.EMAIL_MAX, format: 'email' }),
    normalizeEmail,
    IsString(),
    MaxLength(R.EMAIL_MAX),
    IsEmail({ allow_display_name: false, allow_ip_domain: false }),
  );

export const PasswordField = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      example: 'correct horse battery staple',
      minLength: R.PASSWORD_MIN,
      maxLength: R.PASSWORD_MAX,
      format: 'password',
      description,
    }),
    IsString(),
    Length(R.PASSWORD_MIN, R.PASSWORD_MAX),
  );

/** Optional, but never `null` when present (`@IsOptional()` would let `null` through). */
export const DisplayNameField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ example: 'Ada Lovelace', minLength: 1, maxLength: R.NAME_MAX }),
    ValidateIf((_object: object, value: unknown) => value !== undefined),
    IsString(),
    Length(1, R.NAME_MAX),
  );

export const RefreshTokenField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      example: 'q3JtZ1b8Yk2cV0nGm8vXyW5aS9dF4hJ7kL1pO6iU3eT',
      maxLength: R.REFRESH_TOKEN_MAX,
      description: 'The opaque refresh token of the last login or refresh',
    }),
    IsString(),
    Length(1, R.REFRESH_TOKEN_MAX),
  );

export const ClientAddressField = (): PropertyDecorator => applyDecorators(IsString(), IsIP());

export const UserIdField = (): PropertyDecorator => applyDecorators(IsUUID());
