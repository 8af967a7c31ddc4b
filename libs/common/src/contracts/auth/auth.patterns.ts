/** NATS subjects served by the auth service: `<service>.<entity>.<verb>`. */
export const AUTH_PATTERNS = {
  PING: 'auth.system.ping',
} as const;

export type AuthPattern = (typeof AUTH_PATTERNS)[keyof typeof AUTH_PATTERNS];
