/** Postgres SQLSTATE of a unique-constraint violation. */
const UNIQUE_VIOLATION = '23505';

/** True when `error` is a unique violation of `constraint` (as TypeORM or pg raise it). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = (error as { driverError?: unknown } | null)?.driverError ?? error;
  const { code, constraint: violated } = (driverError ?? {}) as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && violated === constraint;
}
