/** A page of a cursor-paginated list (API.md, Pagination). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
