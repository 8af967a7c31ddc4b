import { RefreshTokenField } from './auth-fields';

/** Body of `POST /v1/auth/refresh` and `POST /v1/auth/logout`, and payload of their subjects. */
export class RefreshTokenRequest {
  @RefreshTokenField() refreshToken: string;
}
