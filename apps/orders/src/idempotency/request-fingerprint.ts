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
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
