import { ClientAddressField, EmailField, PasswordField } from './auth-fields';

/** Body of `POST /v1/auth/login`. */
export class LoginRequest {
  @EmailField() email: string;
  @PasswordField('The account password') password: string;
}

/**
 * Payload of `auth.session.login`: the body plus the client address the gateway saw (the socket's,
 * or the X-Forwarded-For hop TRUST_PROXY names), which failed-login limits count per.
 */
export class LoginCommand extends LoginRequest {
  @ClientAddressField() clientAddress: string;
}
