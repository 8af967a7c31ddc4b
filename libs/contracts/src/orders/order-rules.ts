/** Field rules of an order (docs/api.md#order-routes), shared by validation, storage and documentation. */
export const ORDER_RULES = {
  LINES_MIN: 1,
  LINES_MAX: 50,
  QUANTITY_MIN: 1,
  QUANTITY_MAX: 1000,
  /** `Idempotency-Key`: 1–255 printable ASCII characters (space to tilde). */
  IDEMPOTENCY_KEY_PATTERN: /^[\x20-\x7e]{1,255}$/,
  IDEMPOTENCY_KEY_MAX: 255,
} as const;

/** The HTTP header that carries an idempotency key, and the one that marks a replayed answer. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
