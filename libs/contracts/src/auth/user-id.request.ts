import { UserIdField } from './auth-fields';

/** Payload of `auth.user.get`: the gateway asks for the authenticated caller's own user. */
export class UserIdRequest {
  @UserIdField() userId: string;
}
