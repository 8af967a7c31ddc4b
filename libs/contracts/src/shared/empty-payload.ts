/** The payload of a subject that takes no arguments (`<service>.system.ping`, `auth.keys.jwks`). */
export type EmptyPayload = Record<string, never>;
