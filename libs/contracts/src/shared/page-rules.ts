/** Page size and cursor bounds of every list (docs/api.md#pagination). */
export const PAGE_RULES = {
  LIMIT_MAX: 100,
  LIMIT_DEFAULT: 20,
  CURSOR_MAX: 512,
} as const;
