/** Limits of the auth contract (docs/api.md#auth-routes), shared by validation, documentation and tests. */
export const AUTH_RULES = {
  EMAIL_MAX: 254,
  PASSWORD_MIN: 8,
  PASSWORD_MAX: 128,
  NAME_MAX: 100,
  /** A refresh token is 43 base64url characters; the bound only stops oversized junk early. */
  REFRESH_TOKEN_MAX: 256,
} as const;
