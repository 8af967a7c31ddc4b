/** The roles a user can hold; access tokens and every orders command carry one. */
export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
