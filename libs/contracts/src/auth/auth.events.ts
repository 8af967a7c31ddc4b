import { UserResponse } from './user.response';

/** Domain events the auth service publishes to the JetStream stream `AUTH` (docs/api.md#events). */
export const AUTH_EVENTS = {
  USER_REGISTERED: 'auth.events.user-registered',
} as const;

export type AuthEventSubject = (typeof AUTH_EVENTS)[keyof typeof AUTH_EVENTS];

export const AUTH_STREAM = { name: 'AUTH', subjects: ['auth.events.>'] };

/** `user-registered` carries the public user, never a password or hash. */
export type UserRegisteredEvent = UserResponse;
