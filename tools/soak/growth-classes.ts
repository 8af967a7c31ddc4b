/**
 * What each table is, for the soak's verdict. A table not listed here is judged bounded: a new
 * table must either level off under retention or be listed with the reason it may grow.
 */
export type GrowthClass =
  | { kind: 'bounded' }
  /** Kept on purpose: grows with the business (orders placed, accounts opened). */
  | { kind: 'business'; why: string }
  /** Bounded by a lifetime longer than any soak (and longer than the API allows a soak to shorten). */
  | { kind: 'long-lived'; why: string };

const NOT_BOUNDED: Record<string, GrowthClass> = {
  'orders.orders': { kind: 'business', why: 'one row per order placed, kept' },
  'catalog.reservations': {
    kind: 'business',
    why: 'one row per order: the stock an order holds, needed while it can still be cancelled',
  },
  'catalog.products': { kind: 'business', why: 'the catalog' },
  'auth.users': { kind: 'business', why: 'accounts' },
  'auth.refresh_tokens': {
    kind: 'long-lived',
    why: 'live sessions, deleted a day after expiry (REFRESH_TOKEN_TTL_DAYS ≥ 1); a soak renews tokens every 10 minutes',
  },
  'auth.refresh_token_families': {
    kind: 'long-lived',
    why: 'one per login, deleted after REFRESH_FAMILY_ABSOLUTE_TTL_HOURS (≥ 1 h)',
  },
};

/** `service.table`, e.g. `orders.idempotency_keys`. */
export function growthClassOf(qualifiedTable: string): GrowthClass {
  if (qualifiedTable.endsWith('.migrations')) {
    return { kind: 'business', why: 'one row per migration' };
  }
  return NOT_BOUNDED[qualifiedTable] ?? { kind: 'bounded' };
}
