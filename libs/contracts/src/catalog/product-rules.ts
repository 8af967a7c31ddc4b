/** Field rules of a product (docs/api.md#catalog-routes), shared by validation, storage and documentation. */
export const PRODUCT_RULES = {
  SKU_MAX: 64,
  NAME_MAX: 200,
  DESCRIPTION_MAX: 5000,
  PRICE_MAX_CENTS: 100_000_000,
  /** docs/api.md#catalog-routes asks only "≥ 0"; the cap keeps every stock arithmetic inside a 32-bit column. */
  STOCK_MAX: 1_000_000_000,
  CATEGORY_MAX: 100,
  CURRENCY_PATTERN: /^[A-Z]{3}$/,
  DEFAULT_CURRENCY: 'USD',
  SEARCH_MAX: 200,
} as const;
