/** Postgres SQLSTATEs of a unique-constraint and a check-constraint violation. */
const UNIQUE_VIOLATION = '23505';
const CHECK_VIOLATION = '23514';

function violation(error: unknown): { code?: string; constraint?: string } {
  const driverError = (error as { driverError?: unknown } | null)?.driverError ?? error;
  return driverError ?? {};
}

/**
 * True when `error` (as TypeORM or pg raise it) is a unique violation: of `constraint` when one
 * is named, of any unique constraint otherwise.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const { code, constraint: violated } = violation(error);
  return code === UNIQUE_VIOLATION && (constraint === undefined || violated === constraint);
}

/** True when `error` is a check violation of `constraint` (as TypeORM or pg raise it). */
export function isCheckViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = violation(error);
  return code === CHECK_VIOLATION && violated === constraint;
}
