import { createHash } from 'node:crypto';
import { RequestedLine } from '../orders/order.entity';

/**
 * The fingerprint of a place-order request: SHA-256 of its lines in canonical form (ids
 * lower-cased, sorted by product). Two bodies listing the same lines in another order are the
 * same request; any other difference makes it another request (422 idempotency-key-reused).
 */
export function requestFingerprint(lines: RequestedLine[]): string {
  const canonical = lines
    .map((line) => [line.productId.toLowerCase(), line.quantity] as const)
    .sort(([a], [b]) => byId(a, b));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * The lines of a place-order request name distinct products (the contract's `@ArrayUnique` on
 * lower-cased ids), and V8's sort only asks whether the comparator is below 0: `<`/`<=` and
 * `>`/`>=` agree here, and whether the "after" answer is 1 or 0 no sort can observe (checked over
 * shuffled arrays of 2 to 600 ids). The "before" answer is asserted by the unit spec.
 */
function byId(a: string, b: string): number {
  // Stryker disable next-line EqualityOperator: ids are distinct here, so < and <= order alike
  if (a < b) {
    return -1;
  }
  // Stryker disable next-line EqualityOperator,ConditionalExpression: sort only tests "< 0" (above)
  return a > b ? 1 : 0;
}
