/** NATS subjects served by the auth service: `<service>.<entity>.<verb>`. */
export const AUTH_PATTERNS = {
  PING: 'auth.system.ping',
  REGISTER: 'auth.user.register',
  GET_USER: 'auth.user.get',
  LOGIN: 'auth.session.login',
  REFRESH: 'auth.session.refresh',
  LOGOUT: 'auth.session.logout',
  GET_JWKS: 'auth.keys.jwks',
} as const;

export type AuthPattern = (typeof AUTH_PATTERNS)[keyof typeof AUTH_PATTERNS];
