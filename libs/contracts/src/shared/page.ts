/** A page of a cursor-paginated list (docs/api.md#pagination). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
