import { DisplayNameField, EmailField, PasswordField } from './auth-fields';

/**
 * Body of `POST /v1/auth/register` and payload of `auth.user.register`. There is no `role`:
 * registration always makes a customer, and an unknown field is rejected (no mass assignment).
 */
export class RegisterRequest {
  @EmailField() email: string;
  @PasswordField('8–128 characters, no composition rules') password: string;
  @DisplayNameField() name?: string;
}
