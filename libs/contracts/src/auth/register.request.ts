import { ClientAddressField, DisplayNameField, EmailField, PasswordField } from './auth-fields';

/**
 * Body of `POST /v1/auth/register`. There is no `role`: registration always makes a customer, and
 * an unknown field is rejected (no mass assignment).
 */
export class RegisterRequest {
  @EmailField() email: string;
  @PasswordField('8–128 characters, no composition rules') password: string;
  @DisplayNameField() name?: string;
}

/**
 * Payload of `auth.user.register`: the body plus the client address the gateway saw (as for
 * `LoginCommand`), which the registration limit counts attempts per.
 */
export class RegisterCommand extends RegisterRequest {
  @ClientAddressField() clientAddress: string;
}
